// The office page: uploads, the build button, opening a unit's row, and
// keeping the page current (a cheap fingerprint is asked every 2 seconds;
// the status is fetched only when it changed). Plain JavaScript, no build step.
(function () {
  'use strict';
  var token = document.querySelector('meta[name="baocao-token"]').content;
  var main = document.getElementById('trang');
  var dau = main.getAttribute('data-dau');
  var STATES = { da_nop: ['Đã nộp', 'ok'], co_canh_bao: ['Có cảnh báo', 'warn'], co_loi: ['Có lỗi', 'err'], thieu: ['Chưa nộp', 'missing'] };
  var SEV = { error: ['Lỗi', 'err'], warning: ['Cảnh báo', 'warn'], info: ['Thông tin', 'info'] };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function shortTime(iso) {
    if (!iso || iso.length < 16) return '';
    return iso.slice(8, 10) + '/' + iso.slice(5, 7) + '/' + iso.slice(0, 4) + ' ' + iso.slice(11, 16);
  }
  function timeToSecond(iso) {
    if (!iso || iso.length < 19) return '';
    return iso.slice(11, 19) + ' ' + iso.slice(8, 10) + '/' + iso.slice(5, 7) + '/' + iso.slice(0, 4);
  }
  function clockNow() {
    var d = new Date();
    return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2);
  }
  function diagItem(d) {
    var s = SEV[d.severity] || SEV.info;
    var li = el('li', 'diag ' + s[1]);
    li.appendChild(el('span', 'sev', s[0]));
    var where = [d.file, d.sheet, d.cell].filter(Boolean).join(' › ');
    if (where) li.appendChild(el('span', 'where', where));
    li.appendChild(el('span', 'msg', d.message));
    return li;
  }
  function request(method, url, body, json) {
    var headers = { 'X-Baocao-Token': token };
    if (json) headers['Content-Type'] = 'application/json';
    return fetch(url, { method: method, headers: headers, body: body, cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) {
        if (r.status === 401) { location.href = '/'; throw new Error('cần đăng nhập'); }
        return r.json().catch(function () { return { loi: 'máy chủ trả lời không rõ (mã ' + r.status + ')' }; })
          .then(function (j) { return { ok: r.ok, status: r.status, body: j }; });
      });
  }

  // ---- The unit table ----
  function toggle(row) {
    var open = row.getAttribute('aria-expanded') !== 'true';
    row.setAttribute('aria-expanded', open ? 'true' : 'false');
    var detail = row.nextElementSibling;
    if (detail && detail.classList.contains('detail')) detail.hidden = !open;
  }
  var tbody = $('bang-don-vi');
  tbody.addEventListener('click', function (e) {
    var row = e.target.closest('tr.unit');
    if (row) toggle(row);
  });
  tbody.addEventListener('keydown', function (e) {
    var row = e.target.closest('tr.unit');
    if (row && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); toggle(row); }
  });

  function renderUnits(units, diags) {
    var openNow = {};
    tbody.querySelectorAll('tr.unit[aria-expanded="true"]').forEach(function (r) { openNow[r.getAttribute('data-ma')] = true; });
    var claimed = {};
    var counts = { ok: 0, warn: 0, err: 0, missing: 0 };
    var late = 0;
    var frag = document.createDocumentFragment();
    units.forEach(function (u, i) {
      // A level's heading row above its first unit.
      if (i === 0 || units[i - 1].tuyen !== u.tuyen) {
        var run = [];
        for (var k = i; k < units.length && units[k].tuyen === u.tuyen; k++) run.push(units[k]);
        var done = run.filter(function (x) { return x.trang_thai !== 'thieu'; }).length;
        var g = el('tr', 'group');
        var th = el('th');
        th.colSpan = 6;
        th.scope = 'rowgroup';
        th.appendChild(el('span', 'group-name', u.tuyen));
        th.appendChild(el('span', 'group-count', done + '/' + run.length + ' đã nộp'));
        g.appendChild(th);
        frag.appendChild(g);
      }
      var st = STATES[u.trang_thai] || STATES.thieu;
      counts[st[1]]++;
      var files = (u.tep ? [u.tep] : []).concat(u.tep_khac || []);
      files.forEach(function (f) { claimed[f] = true; });
      var tr = el('tr', 'unit ' + st[1]);
      tr.setAttribute('data-ma', u.ma);
      tr.tabIndex = 0;
      var isOpen = !!openNow[u.ma];
      tr.setAttribute('aria-expanded', isOpen ? 'true' : 'false');
      tr.appendChild(el('td', 'c-ma', u.ma));
      var name = el('td', 'c-ten');
      name.appendChild(el('span', 'name', u.ten));
      name.appendChild(el('span', 'meta', u.ma));
      tr.appendChild(name);
      var state = el('td', 'c-state');
      state.appendChild(el('span', 'chip ' + st[1], st[0]));
      if (u.nop_muon) { late++; state.appendChild(document.createTextNode(' ')); state.appendChild(el('span', 'chip late', 'Nộp muộn')); }
      tr.appendChild(state);
      var file = el('td', 'c-tep', u.tep ? u.tep.replace(/^don-vi\//, '') : '');
      if (u.tep) file.title = u.tep;
      tr.appendChild(file);
      tr.appendChild(el('td', 'c-luc', shortTime(u.nop_luc)));
      var num = el('td', 'c-num');
      if (u.so_loi) num.appendChild(el('span', 'cnt err', u.so_loi + ' lỗi'));
      if (u.so_canh_bao) num.appendChild(el('span', 'cnt warn', u.so_canh_bao + ' cảnh báo'));
      tr.appendChild(num);
      frag.appendChild(tr);

      var detail = el('tr', 'detail');
      detail.setAttribute('data-cua', u.ma);
      detail.hidden = !isOpen;
      var td = el('td');
      td.colSpan = 6;
      if ((u.phien_ban || []).length) {
        var vs = el('ul', 'versions');
        vs.setAttribute('aria-label', 'Các lần đơn vị gửi qua trang nộp');
        u.phien_ban.forEach(function (v) {
          var text = timeToSecond(v.nhan_luc) + ' · ' + v.tep.replace(/^don-vi\//, '') + (v.muon ? ' · nộp muộn' : '') + (v.dung ? ' · đang dùng' : '');
          vs.appendChild(el('li', v.dung ? 'used' : null, text));
        });
        td.appendChild(vs);
      }
      if (u.tep) {
        var f = el('div', 'detail-file', 'Tệp: ');
        f.appendChild(el('b', null, u.tep));
        if (u.nop_luc) f.appendChild(document.createTextNode(', nộp lúc ' + shortTime(u.nop_luc)));
        (u.tep_khac || []).forEach(function (x) { f.appendChild(document.createTextNode(' · không dùng: ' + x)); });
        td.appendChild(f);
      }
      var own = diags.filter(function (d) { return d.file && files.indexOf(d.file) >= 0; });
      if (own.length) {
        var ul = el('ul', 'diags');
        own.forEach(function (d) { ul.appendChild(diagItem(d)); });
        td.appendChild(ul);
      } else {
        td.appendChild(el('p', 'hint', u.tep ? 'Không có lỗi hay cảnh báo.' : 'Chưa nhận được bảng tính của đơn vị này.'));
      }
      detail.appendChild(td);
      frag.appendChild(detail);
    });
    tbody.replaceChildren(frag);
    $('dem-da_nop').textContent = counts.ok;
    $('dem-co_canh_bao').textContent = counts.warn;
    $('dem-co_loi').textContent = counts.err;
    $('dem-thieu').textContent = counts.missing;
    $('so-muon').textContent = late;
    return claimed;
  }

  function renderGeneral(diags, claimed) {
    var list = $('chung');
    var rest = diags.filter(function (d) { return !(d.file && claimed[d.file]); });
    list.replaceChildren.apply(list, rest.map(diagItem));
    $('chung-trong').hidden = rest.length > 0;
  }

  function renderOutputs(outs) {
    var list = $('tai-ve');
    list.replaceChildren.apply(list, outs.map(function (o) {
      var li = el('li');
      var a = el('a', null, o.ten);
      a.href = o.duong_dan;
      a.setAttribute('download', o.ten);
      li.appendChild(a);
      li.appendChild(el('span', 'when', shortTime(o.luc)));
      return li;
    }));
    $('chua-co-tep').hidden = outs.length > 0;
    $('mo-pdf').hidden = !outs.some(function (o) { return o.ten === 'bao-cao.pdf'; });
    var pdf = outs.filter(function (o) { return o.ten === 'bao-cao.pdf'; })[0];
    var box = $('khung-pdf');
    var src = pdf ? pdf.duong_dan + '?xem=1&v=' + pdf.kich_thuoc + '-' + encodeURIComponent(pdf.luc || '') : '';
    if (box.getAttribute('data-src') === src) return;
    box.setAttribute('data-src', src);
    if (pdf) {
      var frame = el('iframe');
      frame.title = 'Báo cáo PDF';
      frame.src = src;
      box.replaceChildren(frame);
    } else {
      box.replaceChildren(el('p', 'empty', 'Chưa có báo cáo. Bấm “Tạo báo cáo” để tạo.'));
    }
  }

  function text(id, value) { $(id).textContent = value || ''; }

  function render(st) {
    if (st.dau) { dau = st.dau; main.setAttribute('data-dau', dau); }
    $('loi-thu-muc').hidden = !st.loi;
    text('loi-thu-muc-text', st.loi);
    var b = st.bao_cao || {}, c = st.co_quan || {};
    text('chu-quan', c.chu_quan);
    text('ban-hanh', c.ban_hanh);
    text('so-van-ban', b.so ? 'Số: ' + b.so : '');
    $('quoc-hieu').hidden = c.kieu === 'dang';
    $('dang-hieu').hidden = c.kieu !== 'dang';
    text('ngay-van-ban', st.bao_cao ? b.dia_danh + ', ' + b.ngay_chu : '');
    text('trich-yeu', b.trich_yeu);
    if (st.tong) { text('so-da-nop', st.tong.da_nop); text('so-du-kien', st.tong.du_kien); }
    text('han-nop', st.han_nop || 'chưa ghi (khóa han_nop trong baocao.toml)');
    if (st.khoa) renderLock(st.khoa);
    var diags = st.diagnostics || [];
    var claimed = renderUnits(st.don_vi || [], diags);
    renderGeneral(diags, claimed);
    renderOutputs(st.ket_qua || []);
  }

  var refreshing = null;
  function refresh() {
    if (refreshing) return refreshing;
    refreshing = fetch('/api/trang-thai', { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) {
        if (r.status === 401) { location.href = '/'; throw new Error('cần đăng nhập'); }
        return r.json();
      })
      .then(render)
      .catch(function () {})
      .then(function () { refreshing = null; });
    return refreshing;
  }

  // ---- Keeping current ----
  var live = $('song');
  function poll() {
    if (document.hidden) { setTimeout(poll, 2000); return; }
    fetch('/api/dau-van', { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) {
        // The server restarted with a password: ask for it again.
        if (r.status === 401) { location.href = '/'; throw new Error('cần đăng nhập'); }
        return r.json();
      })
      .then(function (j) {
        live.classList.remove('off');
        live.title = 'Trang tự cập nhật khi thư mục don-vi/ thay đổi';
        if (j.dau && j.dau !== dau) return refresh();
      })
      .catch(function () {
        live.classList.add('off');
        live.title = 'Mất kết nối với máy chủ; đang thử lại';
      })
      .then(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 2000);
  document.addEventListener('visibilitychange', function () { if (!document.hidden) refresh(); });

  // ---- Uploads ----
  var results = $('ket-qua-tai-len');
  function upload(files) {
    files = Array.prototype.slice.call(files || []);
    if (!files.length) return;
    var fd = new FormData();
    files.forEach(function (f) { fd.append('tep', f, f.name); });
    var busy = el('li', 'busy', 'Đang gửi ' + files.length + ' tệp…');
    results.prepend(busy);
    request('POST', '/api/tep', fd, false).then(function (r) {
      busy.remove();
      var items = (r.body.tep || []).map(function (t) {
        if (t.luu_tai) {
          var li = el('li', 'ok');
          li.appendChild(el('b', null, '✓ ' + t.ten));
          var who = t.don_vi ? ' · ' + t.don_vi.ten : ' · chưa nhận ra đơn vị (xem Thông báo chung)';
          li.appendChild(document.createTextNode(' đã lưu vào ' + t.luu_tai + who));
          return li;
        }
        var bad = el('li', 'err');
        bad.appendChild(el('b', null, '✗ ' + t.ten));
        bad.appendChild(document.createTextNode(': ' + (t.loi || 'không nhận')));
        return bad;
      });
      if (!items.length && r.body.loi) items = [el('li', 'err', '✗ ' + r.body.loi)];
      items.reverse().forEach(function (li) { results.prepend(li); });
      return refresh();
    }).catch(function (e) {
      busy.remove();
      results.prepend(el('li', 'err', '✗ Không gửi được: ' + e.message));
    });
  }
  var input = $('chon-tep');
  input.addEventListener('change', function () { upload(input.files); input.value = ''; });
  var drop = $('vung-tha');
  ['dragenter', 'dragover'].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('over'); });
  });
  ['dragleave', 'dragend'].forEach(function (t) {
    drop.addEventListener(t, function () { drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (e) {
    e.preventDefault();
    drop.classList.remove('over');
    upload(e.dataTransfer && e.dataTransfer.files);
  });
  // A file dropped beside the area must not make the browser leave the page.
  window.addEventListener('dragover', function (e) { e.preventDefault(); });
  window.addEventListener('drop', function (e) { e.preventDefault(); });

  // ---- The lock ----
  var lockButton = $('nut-khoa');
  function renderLock(k) {
    var on = !!k.khoa;
    lockButton.setAttribute('data-khoa', on ? '1' : '0');
    lockButton.textContent = on ? 'Mở khóa sổ' : 'Khóa sổ';
    lockButton.classList.toggle('on', on);
    var s = $('trang-thai-khoa');
    s.classList.toggle('on', on);
    s.textContent = on ? 'Đã khóa sổ' + (k.khoa_luc ? ' lúc ' + shortTime(k.khoa_luc) : '') + ': trang nộp của các đơn vị không nhận thêm bảng tính'
      : 'Trang nộp của các đơn vị đang nhận bảng tính';
  }
  lockButton.addEventListener('click', function () {
    var on = lockButton.getAttribute('data-khoa') === '1';
    if (!on && !window.confirm('Khóa sổ: trang nộp của các đơn vị sẽ không nhận thêm bảng tính. Khóa?')) return;
    lockButton.disabled = true;
    request('POST', '/api/khoa', JSON.stringify({ khoa: !on }), true)
      .then(function (r) { if (r.ok) renderLock(r.body); })
      .catch(function () {})
      .then(function () { lockButton.disabled = false; });
  });

  // ---- Building ----
  var button = $('tao-bao-cao');
  var state = $('trang-thai-tao');
  button.addEventListener('click', function () {
    button.disabled = true;
    button.textContent = 'Đang tạo báo cáo…';
    state.className = 'build-state';
    state.textContent = 'Đang đọc bảng tính và viết báo cáo, xin chờ.';
    request('POST', '/api/bao-cao', JSON.stringify({ dinh_dang: ['docx', 'pdf', 'xlsx'] }), true)
      .then(function (r) {
        if (!r.ok || r.body.loi) {
          state.className = 'build-state err';
          state.textContent = 'Không tạo được báo cáo: ' + (r.body.loi || 'lỗi ' + r.status);
          return;
        }
        var errors = (r.body.diagnostics || []).filter(function (d) { return d.severity === 'error'; }).length;
        state.className = 'build-state ok';
        state.textContent = 'Đã tạo lúc ' + clockNow() + ': ' + (r.body.tep || []).map(function (t) { return t.ten; }).join(', ') +
          (errors ? '. Có ' + errors + ' lỗi trong bảng tính của đơn vị (xem bảng đơn vị).' : '.');
        return refresh();
      })
      .catch(function (e) {
        state.className = 'build-state err';
        state.textContent = 'Không tạo được báo cáo: ' + e.message;
      })
      .then(function () { button.disabled = false; button.textContent = 'Tạo báo cáo'; });
  });
})();
