/* biomine review workbench: decisions (saved at once by POST with the session token) and keyboard shortcuts.
   Text from the server is only ever put into the page with textContent. */
(function () {
  "use strict";

  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute("content") : "";
  }

  var TOKEN = meta("csrf-token");
  var DEFAULT_CURATOR = meta("curator");
  var CURATOR_KEY = "biomine.review.curator";
  var curatorInput = document.getElementById("curator");
  var statusBox = document.getElementById("status");
  var help = document.getElementById("help");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tbody.triple"));
  var LABELS = { accept: "accepted", reject: "rejected", correct: "corrected", "": "undecided" };
  var current = -1;
  var statusTimer = null;

  try {
    var saved = window.localStorage.getItem(CURATOR_KEY);
    if (saved && curatorInput) { curatorInput.value = saved; }
  } catch (e) { /* storage disabled: the server's default name is used */ }
  if (curatorInput) {
    curatorInput.addEventListener("change", function () {
      try { window.localStorage.setItem(CURATOR_KEY, curatorInput.value.trim()); } catch (e) { /* ignore */ }
      say("curating as " + curator());
    });
  }

  function curator() {
    return (curatorInput && curatorInput.value.trim()) || DEFAULT_CURATOR;
  }

  function say(message, bad) {
    statusBox.textContent = message;
    statusBox.className = "status show" + (bad ? " bad" : "");
    window.clearTimeout(statusTimer);
    statusTimer = window.setTimeout(function () { statusBox.className = "status"; }, bad ? 6000 : 2200);
  }

  function setText(id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = Number(value).toLocaleString("en-US"); }
  }

  function showCounts(c) {
    if (!c) { return; }
    setText("n-decided", c.total - c.undecided);
    setText("n-total", c.total);
    setText("n-accept", c.accept);
    setText("n-reject", c.reject);
  }

  function focusRow(i, scroll) {
    if (!rows.length) { return; }
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (current >= 0 && rows[current]) { rows[current].classList.remove("current"); }
    current = i;
    rows[i].classList.add("current");
    if (scroll) { rows[i].scrollIntoView({ block: "nearest" }); }
  }

  function move(step) {
    if (!rows.length) { return; }
    var next = current < 0 ? 0 : current + step;
    if (next >= rows.length || next < 0) {
      var link = document.querySelector(step > 0 ? 'a[rel="next"]' : 'a[rel="prev"]');
      if (link) { window.location.href = link.href + (step < 0 ? "#last" : ""); }
      return;
    }
    focusRow(next, true);
  }

  function rowOf(el) {
    while (el && !(el.tagName === "TBODY" && el.classList.contains("triple"))) { el = el.parentElement; }
    return el;
  }

  function part(row, selector) { return row.querySelector(selector); }

  function showReasons(row, show) {
    var box = part(row, ".reasons");
    if (box) { box.hidden = !show; }
  }

  function applyState(row, res) {
    var decision = res.decision || "";
    row.setAttribute("data-decision", decision);
    var badge = part(row, ".state");
    badge.textContent = LABELS[decision] || decision;
    badge.className = "state state-" + (decision || "undecided");
    part(row, ".reason").textContent = decision === "reject" ? (res.error_label || "") : "";
    part(row, ".decision-meta").textContent = decision ? (res.curator || "") + " \u00b7 " + (res.decided_at || "") : "";
    var clear = part(row, ".act.clear");
    if (clear) { clear.hidden = !decision; }
    var note = part(row, ".note");
    if (note && document.activeElement !== note) { note.value = res.note || ""; }
    Array.prototype.forEach.call(row.querySelectorAll(".reason-button"), function (b) {
      b.setAttribute("aria-pressed", decision === "reject" && b.getAttribute("data-error-type") === res.error_type ? "true" : "false");
    });
    showReasons(row, false);
  }

  function send(row, body) {
    body.key = row.getAttribute("data-key");
    body.curator = curator();
    row.classList.add("busy");
    return window.fetch("/api/decision", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": TOKEN },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return { error: "HTTP " + response.status }; })
        .then(function (data) {
          if (!response.ok || data.error) { throw new Error(data.error || ("HTTP " + response.status)); }
          return data;
        });
    }).then(function (data) {
      row.classList.remove("busy");
      applyState(row, data);
      showCounts(data.counts);
      return data;
    }, function (err) {
      row.classList.remove("busy");
      say("not saved: " + err.message, true);
      throw err;
    });
  }

  function noteOf(row) {
    var note = part(row, ".note");
    return note ? note.value : null;
  }

  function decide(row, action, errorType) {
    var body = { action: action, note: noteOf(row) };
    if (errorType) { body.error_type = errorType; }
    return send(row, body).then(function (data) {
      var what = action === "clear" ? "decision withdrawn" : (LABELS[data.decision] || data.decision) +
        (data.error_label ? " (" + data.error_label + ")" : "");
      say(what + (data.changed ? "" : " (unchanged)"));
      if ((action === "accept" || action === "reject") && rows.length > 1) {
        var i = rows.indexOf(row);
        if (i >= 0 && i < rows.length - 1) { focusRow(i + 1, true); }
      }
    }, function () { /* reported by send */ });
  }

  function saveNote(row) {
    if (!row.getAttribute("data-decision")) {
      say("the note is saved with your decision: press a or r");
      return;
    }
    send(row, { action: "note", note: noteOf(row) }).then(function (data) {
      say(data.changed ? "note saved" : "note unchanged");
    }, function () { /* reported */ });
  }

  var ERROR_CODES = Array.prototype.map.call(
    (rows[0] || document).querySelectorAll(".reason-button"), function (b) { return b.getAttribute("data-error-type"); });

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest ? ev.target.closest("button[data-action]") : null;
    var row = rowOf(ev.target);
    if (row && rows.indexOf(row) >= 0 && rows.indexOf(row) !== current) { focusRow(rows.indexOf(row), false); }
    if (!button || !row) { return; }
    var action = button.getAttribute("data-action");
    if (action === "reject-open") {
      var box = part(row, ".reasons");
      showReasons(row, box.hidden);
    } else if (action === "reject") {
      decide(row, "reject", button.getAttribute("data-error-type"));
    } else {
      decide(row, action);
    }
  });

  rows.forEach(function (row) {
    var note = part(row, ".note");
    if (!note) { return; }
    note.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); saveNote(row); note.blur(); }
      else if (ev.key === "Escape") { ev.preventDefault(); note.blur(); }
    });
  });

  var filters = document.getElementById("filters");
  if (filters) {
    Array.prototype.forEach.call(filters.querySelectorAll("select"), function (sel) {
      sel.addEventListener("change", function () { filters.submit(); });
    });
  }

  function toggleHelp(show) {
    if (help) { help.hidden = show === undefined ? !help.hidden : !show; }
  }
  var helpButton = document.getElementById("help-button");
  if (helpButton) { helpButton.addEventListener("click", function () { toggleHelp(); }); }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var t = ev.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (typing) {
      if (ev.key === "Escape") { t.blur(); }
      return;
    }
    if (ev.key === "?") { toggleHelp(); ev.preventDefault(); return; }
    if (ev.key === "Escape") {
      toggleHelp(false);
      if (current >= 0) { showReasons(rows[current], false); }
      return;
    }
    if (ev.key === "/") {
      var q = document.getElementById("q");
      ev.preventDefault();
      if (q) { q.focus(); q.select(); } else { window.location.href = "/triples"; }
      return;
    }
    if (ev.key === "j") { move(1); ev.preventDefault(); return; }
    if (ev.key === "k") { move(-1); ev.preventDefault(); return; }
    if (!rows.length) { return; }
    if (current < 0) { focusRow(0, true); }
    var row = rows[current];
    if (ev.key === "a") {
      decide(row, "accept");
    } else if (ev.key === "r") {
      showReasons(row, true);
      say("reject: press 1-7 for the error type, Esc to cancel");
    } else if (/^[1-9]$/.test(ev.key) && ERROR_CODES[Number(ev.key) - 1]) {
      decide(row, "reject", ERROR_CODES[Number(ev.key) - 1]);
    } else if (ev.key === "u") {
      decide(row, "clear");
    } else if (ev.key === "n") {
      var note = part(row, ".note");
      if (note) { note.focus(); }
    } else if (ev.key === "o" || ev.key === "Enter") {
      var href = row.getAttribute("data-href");
      if (href && window.location.pathname !== href) { window.location.href = href; }
    } else {
      return;
    }
    ev.preventDefault();
  });

  if (rows.length) {
    var start = 0;
    if (window.location.hash === "#last") { start = rows.length - 1; }
    focusRow(start, false);
  }
})();
