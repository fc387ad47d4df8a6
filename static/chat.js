// The few lines of browser script the page needs. Everything works without it as plain
// forms; with it, the room stays live and resumes from the last version it applied.
(function () {
  "use strict";
  const status = function (text) {
    const el = document.getElementById("status");
    // A status the server ended the connection with (signed out, access removed) stays put.
    if (el && !el.hasAttribute("data-ended")) {
      el.textContent = text;
      el.hidden = !text;
    }
  };
  function ended() {
    const el = document.getElementById("status");
    return !!(el && el.hasAttribute("data-ended"));
  }
  const OFFLINE = "Offline: reconnecting…";

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
  // Reconnect soon, with jitter, capped low: a page is back within about a second of the
  // server, and the pages of a restarted server do not all arrive in the same instant.
  htmx.config.wsReconnectDelay = function (retries) {
    return Math.min(2000, 300 * Math.pow(2, retries)) * (0.5 + Math.random() / 2);
  };

  // The page's one connection: the room's (#live) or, on other pages, the feeds' (#feeds).
  function roomPage() {
    return !!document.querySelector("#live[ws-connect], #live[sse-connect]");
  }
  // Pages without a room start on the transport the person chose (the room page's cookie).
  function feedsToSse() {
    const feeds = document.getElementById("feeds");
    if (!feeds || !feeds.hasAttribute("ws-connect")) return;
    const next = document.createElement("div");
    next.id = "feeds";
    next.hidden = true;
    next.setAttribute("hx-ext", "sse");
    next.setAttribute("sse-connect", feeds.getAttribute("data-sse"));
    next.setAttribute("sse-close", "ended");
    const swap = document.createElement("div");
    swap.setAttribute("sse-swap", "message");
    swap.setAttribute("hx-swap", "none");
    next.appendChild(swap);
    feeds.replaceWith(next);
    return next;
  }
  if (/(^|; )transport=sse(;|$)/.test(document.cookie)) feedsToSse();

  // Live means caught up: the room's connection says so with #synced once it has sent
  // everything the page missed. Until then (and after any drop) the page says it is offline.
  let wsOpened = false;
  let socket = null;
  let generation = 0;
  document.addEventListener("htmx:wsOpen", function (e) {
    wsOpened = true;
    socket = e.detail.socketWrapper;
    generation++;
    if (!roomPage()) status("");
    flush();
  });
  document.addEventListener("htmx:wsClose", function (e) {
    socket = null;
    if (!wsOpened && !/[?&]transport=/.test(location.search)) {
      // The WebSocket never opened (a proxy may block it): use SSE for this visit.
      if (roomPage()) location.replace(location.pathname + "?transport=sse&auto=1");
      else {
        const next = feedsToSse();
        if (next) htmx.process(next);
      }
      return;
    }
    // The extension retries only 1006, 1011, 1012 and 1013. Any other close is retried here
    // too (the server going away, 1001, when pings went unanswered; a refused frame, 1009),
    // except the server's final word (4xxx: signed out, access removed), which says why.
    const code = e.detail && e.detail.event ? e.detail.event.code : 1006;
    if (code >= 4000) return;
    status(OFFLINE);
    const wrapper = e.detail && e.detail.socketWrapper;
    if ([1006, 1011, 1012, 1013].indexOf(code) < 0 && wrapper) {
      setTimeout(function () {
        if (document.body.contains(e.target)) wrapper.reconnect();
      }, htmx.config.wsReconnectDelay(0));
    }
  });
  document.addEventListener("htmx:sseOpen", function () {
    if (!roomPage()) status("");
    flush();
  });
  document.addEventListener("htmx:sseError", function () {
    status(OFFLINE);
  });
  document.addEventListener("htmx:oobAfterSwap", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "synced") status("");
  });
  addEventListener("offline", function () {
    status(OFFLINE);
  });

  // The outbox. Each message gets its own client_id when it is submitted and shows in the
  // list as pending until the server has it; it is sent over the WebSocket (again after a
  // reconnect) or posted (again after a failure), in order. The server stores a client_id
  // once, so a repeat is harmless; its answer removes the pending copy (#pending-<id>) or,
  // refused, gives the text back in the composer with the reason.
  const outbox = [];
  let posting = false;
  let retryTimer = null;
  function newClientId() {
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  }
  function pendingCopy(item) {
    const el = document.createElement("article");
    el.id = "pending-" + item.id;
    el.className = "msg pending";
    const head = document.createElement("header");
    const who = document.createElement("span");
    who.className = "author";
    who.textContent = "You";
    const state = document.createElement("span");
    state.className = "sending";
    state.textContent = "sending…";
    head.append(who, " ", state);
    const body = document.createElement("div");
    body.className = "body";
    body.textContent = item.body;
    el.append(head, body);
    return el;
  }
  // Pending copies stay below everything that arrives meanwhile.
  function keepPendingLast() {
    const list = document.getElementById("messages");
    if (!list) return;
    list.querySelectorAll(":scope > .pending").forEach(function (el) {
      if (el !== list.lastElementChild) list.appendChild(el);
    });
  }
  function waiting() {
    for (let i = outbox.length - 1; i >= 0; i--) {
      if (!document.getElementById("pending-" + outbox[i].id)) outbox.splice(i, 1);
    }
    return outbox;
  }
  function flush() {
    if (ended()) return;
    if (socket) {
      waiting().forEach(function (item) {
        if (item.sentIn === generation) return;
        item.sentIn = generation;
        socket.sendImmediately(JSON.stringify({ body: item.body, client_id: item.id }));
      });
    } else if (!document.querySelector("#live[ws-connect]")) post();
  }
  function retryLater() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, 1000 + Math.random() * 1000);
  }
  async function post() {
    if (posting) return;
    posting = true;
    try {
      while (waiting().length && !ended()) {
        const item = outbox[0];
        let response;
        try {
          response = await fetch(item.action, {
            method: "POST",
            headers: { "HX-Request": "true" },
            body: new URLSearchParams({ body: item.body, client_id: item.id }),
          });
        } catch (_) {
          return retryLater();
        }
        // A refusal says why (a 503 too, when the database is away, in the composer); a server
        // that is restarting, a proxy's error page or a lost session does not: try again soon.
        const html = await response.text();
        const reasoned = html.indexOf('id="composer-error"') >= 0;
        if ((response.status >= 500 && !reasoned) || response.status === 401) return retryLater();
        answered(item, response.ok, html);
      }
    } finally {
      posting = false;
    }
  }
  // A post's answer: stored (with maybe a delivery line for a /pm), or refused with a reason.
  function answered(item, ok, html) {
    const copy = document.getElementById("pending-" + item.id);
    if (copy) copy.remove();
    const doc = new DOMParser().parseFromString(html, "text/html");
    const notices = document.getElementById("notices");
    const lines = doc.querySelector("#notices");
    if (ok && lines && notices) notices.append(...lines.childNodes);
    if (ok) return;
    const error = doc.getElementById("composer-error");
    const said = (error || doc.body).textContent.trim().slice(0, 300);
    giveBack(item.body, said || "The message was not sent");
  }
  // A refused message's text goes back into the composer, ahead of anything typed since.
  function giveBack(body, reason) {
    const form = document.getElementById("composer");
    if (!form) return;
    const box = form.elements.body;
    box.value = box.value ? body + "\n" + box.value : body;
    const error = document.getElementById("composer-error");
    if (error) {
      error.textContent = reason;
      error.hidden = false;
    }
  }
  // Over the WebSocket a refusal arrives as the composer with the text and reason.
  let typedSince = "";
  document.addEventListener("htmx:oobBeforeSwap", function (e) {
    const form = document.getElementById("composer");
    if (form && e.detail && e.detail.target === form) typedSince = form.elements.body.value;
  });
  document.addEventListener("htmx:oobAfterSwap", function () {
    keepPendingLast();
    const form = document.getElementById("composer");
    if (!typedSince || !form) return;
    const box = form.elements.body;
    box.value = box.value ? box.value + "\n" + typedSince : typedSince;
    typedSince = "";
  });
  document.addEventListener("submit", function (e) {
    const form = e.target;
    if (form.id !== "composer" || !roomPage()) return;
    e.preventDefault();
    e.stopPropagation();
    const body = form.elements.body.value;
    const files = attached(form);
    if (!body.trim() && !files.length) return;
    const item = { id: newClientId(), body: body, action: form.getAttribute("action"), sentIn: 0 };
    if (!files.length) outbox.push(item);
    const list = document.getElementById("messages");
    if (list) {
      list.appendChild(pendingCopy(item));
      list.scrollTop = list.scrollHeight;
    }
    form.elements.body.value = "";
    const error = document.getElementById("composer-error");
    if (error) error.hidden = true;
    typedAt = 0;
    if (!files.length) return flush();
    attach(form, null);
    upload(item, files);
  }, true);

  // Files: chosen with the composer's button, dropped on the room or pasted into the box. A
  // message with files goes as one multipart post with a progress bar on its pending copy
  // (the server answers as to any post; the message itself arrives with the room's log).
  function attached(form) {
    const input = form.elements.files;
    return input && input.files ? Array.from(input.files) : [];
  }
  // Adds files to the composer's input (null empties it) and shows how many are attached.
  function attach(form, more) {
    const input = form.elements.files;
    if (!input) return;
    const all = new DataTransfer();
    if (more) {
      attached(form).concat(Array.from(more)).forEach(function (f) {
        all.items.add(f);
      });
    }
    input.files = all.files;
    showAttached(form);
  }
  function showAttached(form) {
    const files = attached(form);
    const label = form.querySelector(".attach span");
    if (label) label.textContent = files.length ? "Attach (" + files.length + ")" : "Attach";
    form.querySelector(".attach").title = files.map(function (f) {
      return f.name;
    }).join(", ");
  }
  function upload(item, files) {
    const copy = document.getElementById("pending-" + item.id);
    const bar = document.createElement("progress");
    bar.max = 1;
    bar.value = 0;
    bar.setAttribute("aria-label", "Uploading " + files.length + " file(s)");
    if (copy) copy.append(bar);
    const data = new FormData();
    data.append("body", item.body);
    data.append("client_id", item.id);
    files.forEach(function (f) {
      data.append("files", f, f.name);
    });
    const xhr = new XMLHttpRequest();
    xhr.open("POST", item.action);
    xhr.setRequestHeader("HX-Request", "true");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) bar.value = e.loaded / e.total;
    });
    // Refused or lost, the text and the files go back into the composer with the reason.
    function back(ok, html) {
      answered(item, ok, html);
      const form = document.getElementById("composer");
      if (!ok && form) attach(form, files);
    }
    xhr.addEventListener("load", function () {
      back(xhr.status >= 200 && xhr.status < 300, xhr.responseText);
    });
    xhr.addEventListener("error", function () {
      back(false, "The files could not be sent (the connection was lost): try again");
    });
    xhr.send(data);
  }
  document.addEventListener("change", function (e) {
    const form = document.getElementById("composer");
    if (form && e.target === form.elements.files) showAttached(form);
  });
  document.addEventListener("dragover", function (e) {
    const form = document.getElementById("composer");
    if (!form || !e.dataTransfer || e.dataTransfer.types.indexOf("Files") < 0) return;
    e.preventDefault();
    form.classList.add("dropping");
  });
  document.addEventListener("dragleave", function (e) {
    const form = document.getElementById("composer");
    if (form && !e.relatedTarget) form.classList.remove("dropping");
  });
  document.addEventListener("drop", function (e) {
    const form = document.getElementById("composer");
    if (!form || !e.dataTransfer || !e.dataTransfer.files.length) return;
    e.preventDefault();
    form.classList.remove("dropping");
    attach(form, e.dataTransfer.files);
  });
  document.addEventListener("paste", function (e) {
    const form = document.getElementById("composer");
    const files = e.clipboardData ? e.clipboardData.files : null;
    if (!form || e.target !== form.elements.body || !files || !files.length) return;
    e.preventDefault();
    attach(form, files);
  });
  function armComposer() {
    const form = document.getElementById("composer");
    if (!form || form.dataset.armed) return;
    form.dataset.armed = "1";
    form.elements.body.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        if (form.elements.body.value.trim() || attached(form).length) form.requestSubmit();
      }
    });
  }

  // Typing: at most one signal every two seconds (and again right after a send), as a
  // frame over the WebSocket or a small post on the SSE transport.
  let typedAt = 0;
  document.addEventListener("input", function (e) {
    const form = document.getElementById("composer");
    if (!form || e.target !== form.elements.body || !roomPage() || ended()) return;
    if (!e.target.value.trim() || Date.now() - typedAt < 2000) return;
    if (socket) socket.sendImmediately(JSON.stringify({ typing: true }));
    else if (document.querySelector("#live[sse-connect]")) {
      fetch(form.getAttribute("action").replace(/messages$/, "typing"), { method: "POST" })
        .catch(function () {});
    } else return;
    typedAt = Date.now();
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

  // Times arrive in UTC; show them in the reader's own zone. A message shows its clock time
  // ("14:05", the day is in the dividers) with the full date on hover.
  const fmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  const clock = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
  function localTimes(root) {
    root.querySelectorAll("time[datetime]:not([data-local])").forEach(function (t) {
      const at = new Date(t.getAttribute("datetime"));
      const short = t.closest(".msg .when");
      t.textContent = (short ? clock : fmt).format(at);
      if (short) t.title = fmt.format(at);
      t.setAttribute("data-local", "");
    });
  }

  // A person's messages within five minutes of each other form one group (one avatar and
  // name), and a divider names each day in the reader's zone. Redrawn after every swap, so
  // live appends, edits, deletions and "load older" all keep it right.
  const GROUP_MS = 5 * 60 * 1000; // as GROUP_MS in views/message.tsx
  const dayName = new Intl.DateTimeFormat(undefined, {
    weekday: "long",
    day: "numeric",
    month: "long",
  });
  function dayLabel(at) {
    const today = new Date();
    const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
    if (at.toDateString() === today.toDateString()) return "Today";
    if (at.toDateString() === yesterday.toDateString()) return "Yesterday";
    return dayName.format(at);
  }
  function regroup() {
    const el = list();
    if (!el) return;
    el.querySelectorAll(":scope > .day").forEach(function (d) {
      d.remove();
    });
    let before = null;
    let lastDay = null;
    Array.from(el.children).forEach(function (m) {
      // A line between messages (someone joined, "New messages") starts a new group.
      if (!m.matches("article.msg:not(.pending)")) {
        if (before) before = { day: before.day, author: null };
        return;
      }
      const time = m.querySelector("time[datetime]");
      const at = time ? new Date(time.getAttribute("datetime")) : null;
      const day = at ? at.toDateString() : null;
      if (at && lastDay !== day) {
        const divider = document.createElement("p");
        divider.className = "day";
        divider.setAttribute("role", "separator");
        divider.textContent = dayLabel(at);
        m.before(divider);
      }
      const follows = before && at && before.day === day &&
        before.author === m.dataset.author && at - before.at < GROUP_MS &&
        !m.classList.contains("deleted") && !before.deleted;
      m.classList.toggle("cont", !!follows);
      if (at) {
        lastDay = day;
        before = {
          at: at,
          day: day,
          author: m.dataset.author,
          deleted: m.classList.contains("deleted"),
        };
      }
    });
  }

  // Stay pinned to the newest message unless the reader has scrolled up; then a button says
  // how many new messages are below and jumps there.
  let pinned = true;
  let below = 0;
  function list() {
    return document.getElementById("messages");
  }
  function jumpButton() {
    let button = document.getElementById("jump");
    const el = list();
    if (button || !el || !roomPage()) return button;
    button = document.createElement("button");
    button.id = "jump";
    button.type = "button";
    button.className = "jump";
    button.hidden = true;
    button.addEventListener("click", function () {
      const messages = list();
      messages.scrollTop = messages.scrollHeight;
      pinned = true;
      showBelow(0);
    });
    el.after(button);
    return button;
  }
  function showBelow(count) {
    below = count;
    const button = jumpButton();
    if (!button) return;
    button.hidden = pinned;
    button.textContent = count ? "↓ " + count + " new" : "↓ Jump to latest";
  }
  document.addEventListener("scroll", function (e) {
    const el = list();
    if (!el || e.target !== el) return;
    pinned = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    showBelow(pinned ? 0 : below);
  }, true);
  let known = null;
  // New messages from others since the last look: for the jump button, and the tab's title.
  function arrivals() {
    const el = list();
    if (!el) return 0;
    const ids = new Set();
    el.querySelectorAll(":scope > article.msg:not(.pending)").forEach(function (m) {
      ids.add(m.id);
    });
    let fresh = 0;
    if (known) {
      el.querySelectorAll(":scope > article.msg:not(.pending)").forEach(function (m) {
        if (!known.has(m.id) && m.dataset.author !== document.body.dataset.me) fresh++;
      });
    }
    known = ids;
    return fresh;
  }
  function settle(root) {
    localTimes(root || document);
    regroup();
    armComposer();
    const fresh = arrivals();
    if (fresh) unseen(fresh);
    const el = list();
    if (el && pinned) el.scrollTop = el.scrollHeight;
    else if (fresh) showBelow(below + fresh);
  }
  document.addEventListener("htmx:load", function (e) {
    settle(e.target);
  });
  document.addEventListener("htmx:oobAfterSwap", function () {
    settle(document);
  });

  // A background tab says what it missed: "(3) #general · Hyperchat" and a dot on the icon,
  // until the person looks again.
  const title = document.title;
  let missed = 0;
  const DOT = "data:image/svg+xml," + encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
      '<rect x="2" y="4" width="24" height="18" rx="5" fill="#3157d5"/>' +
      '<circle cx="24" cy="8" r="7" fill="#d92d20" stroke="#fff" stroke-width="2"/></svg>',
  );
  let icon = null;
  function unseen(count) {
    if (document.visibilityState === "visible") return;
    missed += count;
    document.title = "(" + missed + ") " + title;
    const link = document.querySelector("link[rel~='icon']");
    if (link && icon === null) icon = link.getAttribute("href");
    if (link) link.setAttribute("href", DOT);
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible" || !missed) return;
    missed = 0;
    document.title = title;
    const link = document.querySelector("link[rel~='icon']");
    if (link && icon !== null) link.setAttribute("href", icon);
  });

  // Desktop notifications for direct messages and mentions, asked for only after a click on
  // the inbox page's button; a click on one opens the message.
  function offerNotifications() {
    const button = document.getElementById("notify");
    if (!button) return;
    const line = button.closest("p") || button;
    if (!("Notification" in globalThis) || Notification.permission !== "default") {
      line.remove();
      return;
    }
    button.addEventListener("click", function () {
      Notification.requestPermission().then(function () {
        line.remove();
      });
    });
  }
  function notify(notice) {
    if (!("Notification" in globalThis) || Notification.permission !== "granted") return;
    if (document.visibilityState === "visible") return;
    const link = notice.querySelector("a");
    const shown = new Notification("Hyperchat", {
      body: notice.textContent.trim(),
      tag: notice.id || undefined,
    });
    shown.onclick = function () {
      globalThis.focus();
      if (link) location.href = link.getAttribute("href");
    };
  }
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
      if (n.classList.contains("incoming")) notify(n);
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
    offerNotifications();
  });
})();
