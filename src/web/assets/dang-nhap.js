// The password form: the password goes in a POST with the page's token;
// the server answers with the session cookie.
(function () {
  'use strict';
  var token = document.querySelector('meta[name="baocao-token"]').content;
  var form = document.getElementById('dang-nhap');
  var error = document.getElementById('loi-dang-nhap');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var button = form.querySelector('button');
    button.disabled = true;
    error.hidden = true;
    fetch('/dang-nhap', {
      method: 'POST',
      headers: { 'X-Baocao-Token': token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ mat_khau: document.getElementById('mat-khau').value }),
      credentials: 'same-origin'
    }).then(function (r) {
      if (r.ok) { location.href = '/'; return; }
      return r.json().then(function (j) {
        error.textContent = j.loi || 'Mật khẩu không đúng.';
        error.hidden = false;
      });
    }).catch(function () {
      error.textContent = 'Không kết nối được với máy chủ.';
      error.hidden = false;
    }).then(function () { button.disabled = false; });
  });
})();
