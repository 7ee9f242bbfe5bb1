// A unit's own page: send one workbook (file input or drag and drop), see
// at once what the check found in it, at sheet › cell, and the list of
// what the unit has sent. Plain JavaScript, no build step.
(function () {
  'use strict';
  var token = document.querySelector('meta[name="baocao-token"]').content;
  var main = document.getElementById('nop');
  var url = main.getAttribute('data-gui');
  var SEV = { error: ['Lỗi', 'err'], warning: ['Cảnh báo', 'warn'], info: ['Thông tin', 'info'] };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function diagItem(d) {
    var s = SEV[d.severity] || SEV.info;
    var li = el('li', 'diag ' + s[1]);
    li.appendChild(el('span', 'sev', s[0]));
    var where = [d.sheet, d.cell].filter(Boolean).join(' › ');
    if (where) li.appendChild(el('span', 'where', where));
    li.appendChild(el('span', 'msg', d.message));
    return li;
  }
  function diagList(diags) {
    var ul = el('ul', 'diags');
    diags.forEach(function (d) { ul.appendChild(diagItem(d)); });
    return ul;
  }

  function renderResult(r) {
    var box = $('kiem-tra-noi-dung');
    var parts = [];
    var p = el('p', 'verdict');
    p.appendChild(el('span', 'chip ' + r.lop, r.nhan));
    if (r.so_loi) { p.appendChild(document.createTextNode(' ')); p.appendChild(el('span', 'cnt err', r.so_loi + ' lỗi')); }
    if (r.so_canh_bao) { p.appendChild(document.createTextNode(' ')); p.appendChild(el('span', 'cnt warn', r.so_canh_bao + ' cảnh báo')); }
    parts.push(p);
    if ((r.diagnostics || []).length) {
      parts.push(el('p', 'hint', 'Sửa trong bảng tính theo từng dòng dưới đây (trang › ô), lưu lại rồi gửi lại.'));
      parts.push(diagList(r.diagnostics));
    } else {
      parts.push(el('p', 'hint', 'Bảng tính đọc được trọn vẹn, không có gì cần sửa.'));
    }
    box.replaceChildren.apply(box, parts);
  }

  function renderHistory(list) {
    var body = $('bang-lich-su');
    body.replaceChildren.apply(body, list.map(function (v) {
      var tr = el('tr');
      tr.appendChild(el('td', 'h-lan', String(v.lan)));
      tr.appendChild(el('td', 'h-luc', v.luc_hien || ''));
      tr.appendChild(el('td', 'h-tep', v.ten || ''));
      var note = el('td', 'h-ghi');
      if (v.moi_nhat) note.appendChild(el('span', 'chip ok', 'Bản đang dùng'));
      if (v.muon) { note.appendChild(document.createTextNode(' ')); note.appendChild(el('span', 'chip late', 'Nộp muộn')); }
      tr.appendChild(note);
      return tr;
    }));
    $('so-lan').textContent = list.length;
    $('chua-gui').hidden = list.length > 0;
  }

  var results = $('trang-thai-gui');
  function send(files) {
    files = Array.prototype.slice.call(files || []);
    if (!files.length) return;
    if (files.length > 1) {
      results.replaceChildren(el('li', 'err', '✗ Mỗi lần chỉ gửi một bảng tính: bảng tính của đơn vị.'));
      return;
    }
    var f = files[0];
    var fd = new FormData();
    fd.append('tep', f, f.name);
    results.replaceChildren(el('li', 'busy', 'Đang gửi và kiểm tra ' + f.name + '…'));
    fetch(url, { method: 'POST', headers: { 'X-Baocao-Token': token }, body: fd, cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) {
        return r.json().catch(function () { return { loi: 'máy chủ trả lời không rõ (mã ' + r.status + ')' }; })
          .then(function (j) { return { ok: r.ok, body: j }; });
      })
      .then(function (r) {
        var b = r.body;
        if (!r.ok || !b.tep) {
          var li = el('li', 'err');
          li.appendChild(el('b', null, '✗ ' + f.name + ' không được nhận. '));
          li.appendChild(document.createTextNode(b.loi || 'Lỗi không rõ.'));
          var items = [li];
          results.replaceChildren.apply(results, items);
          if ((b.diagnostics || []).length) results.appendChild(diagList(b.diagnostics));
          return;
        }
        var ok = el('li', b.tep.muon ? 'warn' : 'ok');
        ok.appendChild(el('b', null, '✓ Đã nhận ' + b.tep.ten));
        var when = b.tep.nhan_luc ? ' lúc ' + b.tep.nhan_luc.slice(11, 16) + ' ngày ' + b.tep.nhan_luc.slice(8, 10) + '/' + b.tep.nhan_luc.slice(5, 7) + '/' + b.tep.nhan_luc.slice(0, 4) : '';
        ok.appendChild(document.createTextNode(when + (b.tep.muon ? ' (sau hạn nộp: ghi là nộp muộn).' : '.')));
        var errs = (b.diagnostics || []).filter(function (d) { return d.severity === 'error'; }).length;
        ok.appendChild(document.createTextNode(errs ? ' Bảng tính còn ' + errs + ' lỗi cần sửa: xem bên dưới.' : ' Kết quả kiểm tra ở bên dưới.'));
        results.replaceChildren(ok);
        if (b.ket_qua) renderResult(b.ket_qua);
        renderHistory(b.lich_su || []);
        $('kiem-tra').scrollIntoView({ behavior: 'smooth', block: 'start' });
      })
      .catch(function (e) {
        results.replaceChildren(el('li', 'err', '✗ Không gửi được: ' + e.message + '. Kiểm tra mạng rồi thử lại.'));
      });
  }
  var input = $('chon-tep');
  input.addEventListener('change', function () { send(input.files); input.value = ''; });
  var drop = $('vung-tha');
  ['dragenter', 'dragover'].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); if (!input.disabled) drop.classList.add('over'); });
  });
  ['dragleave', 'dragend'].forEach(function (t) {
    drop.addEventListener(t, function () { drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (e) {
    e.preventDefault();
    drop.classList.remove('over');
    if (!input.disabled) send(e.dataTransfer && e.dataTransfer.files);
  });
  window.addEventListener('dragover', function (e) { e.preventDefault(); });
  window.addEventListener('drop', function (e) { e.preventDefault(); });
})();
