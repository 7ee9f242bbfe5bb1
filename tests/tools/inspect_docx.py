"""Print what an independent reader (python-docx) finds in a DOCX, as JSON."""
import json
import sys

import docx
from docx.oxml.ns import qn

d = docx.Document(sys.argv[1])
secs = d.sections
out = {
    "sections": [
        {
            "width_mm": round(s.page_width.mm),
            "height_mm": round(s.page_height.mm),
            "orientation": str(s.orientation),
            "margins_mm": [round(s.top_margin.mm), round(s.bottom_margin.mm), round(s.left_margin.mm), round(s.right_margin.mm)],
            "different_first_page": s.different_first_page_header_footer,
        }
        for s in secs
    ],
    "normal_font": d.styles["Normal"].font.name,
    "normal_size": d.styles["Normal"].font.size.pt if d.styles["Normal"].font.size else None,
    "heading_styles": [p.style.name.lower() for p in d.paragraphs if p.style is not None and p.style.name.lower().startswith("heading")][:3],
    "tables": len(d.tables),
    "header_table_first_cell": d.tables[0].cell(0, 0).text if d.tables else "",
    "repeated_header_rows": [
        bool(t.rows[0]._tr.trPr is not None and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None) for t in d.tables
    ],
    "page_field": any("PAGE" in (x.text or "") for s in secs for x in s.header._element.iter(qn("w:instrText"))),
}
print(json.dumps(out, ensure_ascii=False))
