// A little vanilla JS: the Telegram Mini App login, filters that apply on change, and the
// update form showing only the fields the chosen state needs.
(function () {
  "use strict";
  var tg = window.Telegram && window.Telegram.WebApp;

  function initData() {
    if (tg && tg.initData) { return tg.initData; }
    // Telegram also passes it in the address (#tgWebAppData=…) before its script runs
    var hash = new URLSearchParams(window.location.hash.slice(1));
    return hash.get("tgWebAppData") || "";
  }

  function miniapp(box) {
    var status = document.getElementById("miniapp-status");
    var data = initData();
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
  }

  function start() {
    if (tg && tg.ready) { tg.ready(); tg.expand && tg.expand(); }
    var box = document.getElementById("miniapp");
    if (box) {
      // the Telegram script loads asynchronously: give it a moment, then use the address
      if (tg || !document.querySelector("script[src*='telegram-web-app']")) { miniapp(box); }
      else { setTimeout(function () { tg = window.Telegram && window.Telegram.WebApp; miniapp(box); }, 600); }
    }
    var f = document.getElementById("filters");
    if (f) { filters(f); }
    var u = document.getElementById("update");
    if (u) { update(u); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
