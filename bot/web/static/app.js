// A little vanilla JS: the Telegram Mini App login, filters that apply on change, and the
// update form showing only the fields the chosen state needs.
(function () {
  "use strict";
  var tg = window.Telegram && window.Telegram.WebApp;

  var TELEGRAM_JS = "https://telegram.org/js/telegram-web-app.js";

  function fromAddress() {
    // Telegram passes the signed data in the address (#tgWebAppData=…)
    var hash = new URLSearchParams(window.location.hash.slice(1));
    return hash.get("tgWebAppData") || "";
  }

  function login(box, data) {
    var status = document.getElementById("miniapp-status");
    if (!data) { status.textContent = box.dataset.outside; return; }
    fetch("/dang-nhap/telegram", {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({initData: data})
    }).then(function (r) {
      return r.json().then(function (body) { return {ok: r.ok, body: body}; });
    }).then(function (res) {
      if (res.ok && res.body.next) { window.location.replace(res.body.next); }
      else { status.textContent = box.dataset.refused; }
    }).catch(function () { status.textContent = box.dataset.refused; });
  }

  function miniapp(box) {
    var data = fromAddress();
    if (data) { login(box, data); return; }
    // otherwise ask Telegram's own script (it keeps the data across reloads)
    var script = document.createElement("script");
    script.src = TELEGRAM_JS;
    script.onload = function () {
      tg = window.Telegram && window.Telegram.WebApp;
      if (tg && tg.ready) { tg.ready(); }
      login(box, tg ? tg.initData : "");
    };
    script.onerror = function () { login(box, ""); };
    document.head.appendChild(script);
  }

  function filters(form) {
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
      s.addEventListener("change", function () {
        var page = form.querySelector("input[name=page]");
        if (page) { page.remove(); }
        form.submit();
      });
    });
  }

  function update(form) {
    var state = form.querySelector("#f-state");
    var percent = form.querySelector(".f-percent");
    var note = form.querySelector(".f-note");
    function show() {
      percent.style.display = state.value === "progress" ? "" : "none";
      note.style.display = state.value === "blocked" ? "" : "none";
    }
    state.addEventListener("change", show);
    show();
    var file = form.querySelector("#f-file");
    var name = form.querySelector("#f-file-name");
    if (file && name) {
      var none = name.textContent;
      file.addEventListener("change", function () {
        name.textContent = file.files.length ? file.files[0].name : none;
      });
    }
  }

  function start() {
    document.documentElement.className += " js";
    if (tg && tg.ready) { tg.ready(); tg.expand && tg.expand(); }
    var box = document.getElementById("miniapp");
    if (box) { miniapp(box); }
    var f = document.getElementById("filters");
    if (f) { filters(f); }
    var u = document.getElementById("update");
    if (u) { update(u); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
