// The few lines of browser script the page needs. Everything works without it as plain
// forms; with it, the room stays live and resumes from the last version it applied.
(function () {
  "use strict";
  const status = function (text) {
    const el = document.getElementById("status");
    // A status the server ended the connection with (access removed) stays put.
    if (el && !el.hasAttribute("data-ended")) {
      el.textContent = text;
      el.hidden = !text;
    }
  };

  // The room version this page has applied; the server sends a #cursor with every frame.
  function cursor() {
    const el = document.getElementById("cursor");
    return el ? el.getAttribute("data-version") : null;
  }
  // Streams this page has opened before, by path: opening one again is a reconnect, and
  // `again=1` tells the server so (no second "Welcome to #room").
  const opened = {};
  function withCursor(url) {
    const after = cursor();
    const u = new URL(url, location.href);
    if (after !== null) u.searchParams.set("after", after);
    if (opened[u.pathname]) u.searchParams.set("again", "1");
    opened[u.pathname] = true;
    return u.toString().replace(/^http/, url.indexOf("ws") === 0 ? "ws" : "http");
  }

  // The extensions reconnect with the URL they first read; resume from the cursor instead
  // (the sse extension also drops Last-Event-ID on a full reconnect).
  let wsOpened = false;
  const makeSocket = htmx.createWebSocket;
  htmx.createWebSocket = function (url) {
    const abs = new URL(url, location.href);
    abs.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    return makeSocket(withCursor(abs.toString()));
  };
  const makeSource = htmx.createEventSource;
  htmx.createEventSource = function (url) {
    return makeSource(withCursor(url));
  };

  document.addEventListener("htmx:wsOpen", function () {
    wsOpened = true;
    status("");
  });
  document.addEventListener("htmx:wsClose", function (e) {
    if (!wsOpened && !/[?&]transport=/.test(location.search)) {
      // The WebSocket never opened (a proxy may block it): fall back to SSE for this visit.
      location.replace(location.pathname + "?transport=sse&auto=1");
      return;
    }
    // The extension retries only these codes; for any other, say so instead of pretending.
    const code = e.detail && e.detail.event ? e.detail.event.code : 1006;
    const retried = [1006, 1011, 1012, 1013].indexOf(code) >= 0;
    status(retried ? "Offline: reconnecting…" : "Disconnected: reload the page");
  });
  // The status line is about the room's connection, not the header's inbox stream.
  function roomStream(e) {
    return !(e.target && e.target.closest && e.target.closest("#inbox-live"));
  }
  document.addEventListener("htmx:sseOpen", function (e) {
    if (roomStream(e)) status("");
  });
  document.addEventListener("htmx:sseError", function (e) {
    if (roomStream(e)) status("Offline: reconnecting…");
  });
  addEventListener("offline", function () {
    status("Offline: reconnecting…");
  });

  // Each send carries a fresh client_id, so a retried send is stored once.
  function newClientId() {
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  }
  function armComposer() {
    const form = document.getElementById("composer");
    if (!form || form.dataset.armed) return;
    form.dataset.armed = "1";
    form.elements.client_id.value = newClientId();
    form.elements.body.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        if (form.elements.body.value.trim()) form.requestSubmit();
      }
    });
  }
  document.addEventListener("htmx:wsAfterSend", function (e) {
    const form = document.getElementById("composer");
    if (!form || !form.contains(e.target)) return;
    form.elements.body.value = "";
    form.elements.client_id.value = newClientId();
    const error = document.getElementById("composer-error");
    if (error) error.hidden = true;
  });

  // Typing: a small frame over the room's WebSocket, at most one every two seconds.
  let liveSocket = null;
  let typedAt = 0;
  document.addEventListener("htmx:wsOpen", function (e) {
    liveSocket = e.detail.socketWrapper;
  });
  document.addEventListener("htmx:wsClose", function () {
    liveSocket = null;
  });
  document.addEventListener("input", function (e) {
    const form = document.getElementById("composer");
    if (!liveSocket || !form || e.target !== form.elements.body) return;
    if (!e.target.value.trim() || Date.now() - typedAt < 2000) return;
    typedAt = Date.now();
    liveSocket.send(JSON.stringify({ typing: true }));
  });

  // A name in the online list starts a /pm in the composer; without JavaScript (or a
  // composer) it stays a link to the direct conversation, /dm/<username>.
  document.addEventListener("click", function (e) {
    const link = e.target.closest ? e.target.closest("#online a[href^='/dm/']") : null;
    const form = document.getElementById("composer");
    if (!link || !form) return;
    e.preventDefault();
    const username = decodeURIComponent(link.getAttribute("href").slice(4));
    form.elements.body.value = "/pm " + username + " ";
    form.elements.body.focus();
  });

  // A message's "+" (reaction picker) and "Edit" links are plain links, so every pushed
  // message carries each URL once; with JS they load their form in place of the link.
  document.addEventListener("click", function (e) {
    const link = e.target.closest ? e.target.closest(".msg a.react, .msg a.own") : null;
    if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    htmx.ajax("GET", link.getAttribute("href"), { source: link, target: link, swap: "outerHTML" });
  });

  // A refused send (403) answers with the composer and its reason: show it, not nothing.
  document.addEventListener("htmx:beforeSwap", function (e) {
    const xhr = e.detail.xhr;
    const target = e.detail.target;
    if (xhr && xhr.status === 403 && target && target.id === "composer") {
      e.detail.shouldSwap = /^<form id="composer"/.test(xhr.responseText);
      e.detail.isError = false;
    }
  });

  // Times arrive in UTC; show them in the reader's own zone.
  const fmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  function localTimes(root) {
    root.querySelectorAll("time[datetime]:not([data-local])").forEach(function (t) {
      t.textContent = fmt.format(new Date(t.getAttribute("datetime")));
      t.setAttribute("data-local", "");
    });
  }

  // Stay pinned to the newest message unless the reader has scrolled up.
  let pinned = true;
  function list() {
    return document.getElementById("messages");
  }
  document.addEventListener("scroll", function (e) {
    const el = list();
    if (el && e.target === el) pinned = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  }, true);
  function settle(root) {
    localTimes(root || document);
    armComposer();
    const el = list();
    if (el && pinned) el.scrollTop = el.scrollHeight;
  }
  document.addEventListener("htmx:load", function (e) {
    settle(e.target);
  });
  document.addEventListener("htmx:oobAfterSwap", function () {
    settle(document);
  });
  // On opening, a permalinked message (#m-…) or the "New messages" divider comes into view
  // instead of the bottom; the reader is then unpinned until they scroll back down.
  function landing() {
    const target = location.hash.indexOf("#m-") === 0
      ? document.getElementById(location.hash.slice(1))
      : null;
    return target || document.getElementById("unread");
  }
  document.addEventListener("DOMContentLoaded", function () {
    const mark = landing();
    if (mark) pinned = false;
    settle(document);
    if (mark) mark.scrollIntoView({ block: mark.id === "unread" ? "start" : "center" });
  });

  // Inbox: messages that land while the room is on screen are read; tell the server (once
  // per burst) so they do not count as unread. Hidden tabs wait until they are shown again.
  let readTimer = null;
  let readSent = null;
  function markRead() {
    const room = document.querySelector("main.room[data-room]");
    const version = cursor();
    if (!room || version === null || version === readSent) return;
    if (document.visibilityState !== "visible") return;
    readSent = version;
    fetch("/rooms/" + encodeURIComponent(room.dataset.room) + "/read", {
      method: "POST",
      body: new URLSearchParams({ version: version }),
    }).catch(function () {
      readSent = null;
    });
  }
  function markReadSoon() {
    clearTimeout(readTimer);
    readTimer = setTimeout(markRead, 300);
  }
  document.addEventListener("htmx:oobAfterSwap", markReadSoon);
  document.addEventListener("visibilitychange", markReadSoon);

  // Inbox notices: none about the conversation or room on screen, and each fades after 20 s.
  function tidyNotices() {
    const here = location.pathname;
    document.querySelectorAll("#notices .notice:not([data-seen])").forEach(function (n) {
      n.setAttribute("data-seen", "");
      const link = n.querySelector("a");
      const href = link ? link.getAttribute("href") : "";
      if (
        n.classList.contains("incoming") &&
        (href === here || href.indexOf(here + "/messages/") === 0)
      ) {
        n.remove();
        return;
      }
      setTimeout(function () {
        n.remove();
      }, 20000);
    });
  }
  document.addEventListener("htmx:oobAfterSwap", tidyNotices);
  document.addEventListener("DOMContentLoaded", function () {
    readSent = cursor();
  });
})();
