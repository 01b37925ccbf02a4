/* kbchat chat page: plain DOM, no build step.
 *
 * Safety rule for this file: text from the user, the knowledge base or the server is only ever
 * inserted with textContent / createElement / append(string) — never innerHTML — so it can never
 * become markup or script (the CSP is the second line of defence).
 */
"use strict";

(() => {
  const STORAGE_KEY = "kbchat.conversation.v1";
  const MAX_CHARS = 2000;     // the server rejects longer messages (service/schemas.py)
  const MAX_HISTORY = 20;     // the server rejects longer conversations
  const NEAR_LIMIT = 1800;    // when the counter starts to stand out

  // What kind of study a design label is, for the badge colour (labels: ingest/kb_format.py).
  const EVIDENCE_TIERS = {
    "Animal study": "preclinical",
    "Lab study (cells)": "preclinical",
    "Survey": "observational",
    "Case report": "observational",
    "Case series": "observational",
    "Cohort study": "observational",
    "Surveillance report": "observational",
    "Systematic review": "strong",
    "Randomized trial": "strong",
    "Human lab study": "strong",
  };

  const LABELS = {
    abstain: "Not covered by the knowledge base",
    refusal_personal_dosing: "No personal dosing advice",
    refusal_treatment_substitution: "No advice on changing treatment",
    out_of_scope: "Outside what this assistant covers",
  };

  const $ = (id) => document.getElementById(id);
  const els = {
    transcript: $("transcript"),
    scroller: $("transcript-scroll"),
    welcome: $("welcome"),
    announcer: $("announcer"),
    form: $("composer"),
    input: $("question"),
    send: $("send"),
    counter: $("char-count"),
    newChat: $("new-conversation"),
    header: document.querySelector(".site-header"),
    main: $("main"),
    panel: $("source-panel"),
    backdrop: $("panel-backdrop"),
    panelClose: $("source-close"),
    sourceNumber: $("source-number"),
    sourceDesign: $("source-design"),
    sourceTitle: $("source-title"),
    sourceMeta: $("source-meta"),
    sourceVia: $("source-via"),
    sourcePopulation: $("source-population"),
    sourceReviewed: $("source-reviewed"),
    kbUpdated: $("kb-updated"),
    sourceLinks: $("source-links"),
    sourceText: $("source-text"),
    sourceStatus: $("source-status"),
  };
  const narrowScreen = window.matchMedia("(max-width: 860px)");

  /* Conversation state: user turns, assistant turns (the server's ChatReply, kept whole so a
   * reload re-renders exactly what was shown) and error turns (always right after their question). */
  let turns = [];
  let inFlight = null;        // AbortController of the request being answered
  let panelOpener = null;     // the button that opened the source panel gets focus back
  let panelToken = 0;         // ignores a slow source fetch once another source was chosen

  /* ---------- DOM helpers ---------- */

  /** createElement with a class, attributes and children (strings become text nodes). */
  function el(tag, className, attrs = {}, children = []) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  /** The href only if it uses an expected scheme: KB data must not smuggle in javascript: URLs. */
  function safeHref(href, schemes) {
    try {
      const url = new URL(href, window.location.href);
      return schemes.includes(url.protocol) ? url.href : null;
    } catch {
      return null;
    }
  }

  function externalLink(href, text, className = "") {
    const url = safeHref(href, ["https:", "http:"]);
    if (!url) return null;
    return el("a", className, { href: url, target: "_blank", rel: "noopener noreferrer" },
      [text, el("span", "visually-hidden", {}, [" (opens in a new tab)"])]);
  }

  function announce(text) {
    // Cleared first so the same text twice in a row is still read out.
    els.announcer.textContent = "";
    window.setTimeout(() => { els.announcer.textContent = text; }, 50);
  }

  function scrollToEnd() {
    els.scroller.scrollTop = els.scroller.scrollHeight;
  }

  /** Show a reply from its question down; if both don't fit, start at the question so a long
   * reply (or a crisis reply's help lines) is read from its top, not its end. */
  function revealReply(item) {
    const view = els.scroller.getBoundingClientRect();
    const start = (item.previousElementSibling || item).getBoundingClientRect();
    if (item.getBoundingClientRect().bottom - start.top <= view.height) scrollToEnd();
    else els.scroller.scrollTop += start.top - view.top - 8;
  }

  /* ---------- Storage: the conversation survives a reload, not a closed tab ---------- */

  function save() {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ turns }));
    } catch {
      // Storage full or disabled: the chat still works, it just won't survive a reload.
    }
  }

  function validTurn(turn) {
    if (!turn || typeof turn !== "object") return false;
    if (turn.role === "user") return typeof turn.text === "string";
    if (turn.role === "assistant") return Boolean(turn.reply) && Array.isArray(turn.reply.sentences);
    return turn.role === "error" && typeof turn.message === "string";
  }

  function load() {
    try {
      const data = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
      const stored = data && Array.isArray(data.turns) ? data.turns.filter(validTurn) : [];
      const last = stored[stored.length - 1];
      if (last && last.role === "user") {
        // Reloaded while waiting: the answer is lost, so offer a retry.
        last.failed = true;
        stored.push({ role: "error", message: "The page was reloaded before the answer arrived." });
      }
      return stored;
    } catch {
      return [];
    }
  }

  /* ---------- Talking to the API ---------- */

  class ChatError extends Error {}

  /** The conversation up to `userIndex`, as the API wants it: failed questions left out. */
  function historyFor(userIndex) {
    return turns.slice(0, userIndex + 1)
      .filter((t) => (t.role === "user" && !t.failed) || t.role === "assistant")
      .map((t) => ({ role: t.role, content: t.role === "user" ? t.text : t.reply.answer }))
      // An assistant reply is context only: clip it rather than have the request rejected.
      .map((m) => ({ role: m.role, content: m.content.slice(0, MAX_CHARS) }))
      .filter((m) => m.content.trim())
      .slice(-MAX_HISTORY);
  }

  async function errorFromResponse(response) {
    let detail = "";
    try {
      detail = (await response.json()).detail;
    } catch {
      // Not JSON (a proxy's error page): fall back to the status below.
    }
    if (response.status === 422 && typeof detail === "string" && detail) {
      return new ChatError(`The message could not be sent: ${detail}.`);
    }
    if (response.status === 503) {
      return new ChatError(typeof detail === "string" && detail
        ? `The service is unavailable: ${detail}.` : "The service is unavailable just now. Please try again.");
    }
    return new ChatError(`The service answered with an error (HTTP ${response.status}). Please try again.`);
  }

  /** One parsed Server-Sent Event from a block of lines, or null for a comment/keep-alive. */
  function parseEvent(block) {
    let event = "message";
    const data = [];
    for (const raw of block.split("\n")) {
      const line = raw.replace(/\r$/, "");
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    return data.length ? { event, data: JSON.parse(data.join("\n")) } : null;
  }

  /** Read an SSE body chunk by chunk; events may be split across chunks. */
  async function readEvents(body, onEvent) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
      let end;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
        const parsed = parseEvent(block);
        if (parsed) onEvent(parsed.event, parsed.data);
      }
      if (done) break;
    }
    const last = buffer.trim() ? parseEvent(buffer) : null;
    if (last) onEvent(last.event, last.data);
  }

  /** POST the conversation with stream:true (EventSource cannot POST); resolves to the ChatReply. */
  async function streamChat(messages, signal, onSentence) {
    let reply = null;
    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify({ messages, stream: true }),
        signal,
      });
      if (!response.ok) throw await errorFromResponse(response);
      await readEvents(response.body, (event, data) => {
        if (event === "sentence") onSentence(data);
        else if (event === "done") reply = data;
      });
    } catch (err) {
      if (err instanceof ChatError || err.name === "AbortError") throw err;
      throw new ChatError("Could not reach the service. Check your connection, then try again.");
    }
    if (!reply) throw new ChatError("The answer was cut off before it finished. Please try again.");
    return reply;
  }

  /* ---------- Rendering replies ---------- */

  function citationMap(citations) {
    return new Map((citations || []).map((c) => [c.n, c]));
  }

  function evidenceBadge(label) {
    const tier = EVIDENCE_TIERS[label];
    return el("span", tier ? `evidence evidence-${tier}` : "evidence", {},
      [el("span", "visually-hidden", {}, ["Evidence: "]), label]);
  }

  function citeButton(n, citation) {
    const who = citation ? `: ${citation.authors}${citation.year ? `, ${citation.year}` : ""}` : "";
    const button = el("button", "cite", {
      type: "button", "aria-label": `Source ${n}${who}`, "aria-controls": "source-panel",
      "aria-expanded": "false", "data-n": String(n),
    }, [String(n)]);
    if (citation) button.addEventListener("click", () => openSource(citation, button));
    return button;
  }

  /** A sentence, its numbered citation buttons, then one badge per kind of evidence. */
  function sentenceNode(sentence, byN) {
    const p = el("p", "sentence", {}, [sentence.text]);
    for (const n of sentence.citations || []) p.append(citeButton(n, byN.get(n)));
    for (const label of new Set(sentence.evidence || [])) p.append(evidenceBadge(label));
    return p;
  }

  function sentencesNode(reply) {
    const byN = citationMap(reply.citations);
    return el("div", "reply-text", {}, reply.sentences.map((s) => sentenceNode(s, byN)));
  }

  function resourceLink(resource) {
    const href = safeHref(resource.href, ["tel:", "sms:", "https:"]);
    if (!href) return el("span", "resource-link", {}, [resource.label]);
    if (href.startsWith("https:")) return externalLink(href, resource.label, "resource-link");
    return el("a", "resource-link", { href }, [resource.label]);
  }

  function resourceList(resources) {
    return el("ul", "resource-list", {}, resources.map((r) => el("li", "", {}, [resourceLink(r)])));
  }

  /** Crisis help lines: first, large, before any text. */
  function crisisResources(resources) {
    return el("section", "crisis-resources", { "aria-label": "Crisis help lines" }, [
      el("p", "crisis-heading", {}, ["Help is available right now"]),
      resourceList(resources),
    ]);
  }

  function suggestionsNode(suggestions, withTitle) {
    const chips = el("ul", "chips", {}, suggestions.map((q) => {
      const chip = el("button", "chip", { type: "button" }, [q]);
      chip.addEventListener("click", () => ask(q));
      return el("li", "", {}, [chip]);
    }));
    const title = withTitle ? [el("p", "suggestions-title", {}, ["Questions I can answer instead"])] : [];
    return el("div", "suggestions", {}, [...title, chips]);
  }

  function sourcesNode(citations) {
    const items = citations.map((c) => {
      const button = el("button", "source-ref", { type: "button", "aria-controls": "source-panel" },
        [`${c.authors}${c.year ? ` (${c.year})` : ""}`]);
      button.addEventListener("click", () => openSource(c, button));
      const rest = [c.title, c.journal].filter(Boolean).join(". ");
      return el("li", "", { value: String(c.n) }, [button, rest ? ` ${rest}. ` : " ", evidenceBadge(c.design)]);
    });
    return el("div", "sources", {}, [
      el("p", "sources-title", {}, ["Sources"]),
      el("ol", "sources-list", {}, items),
      el("p", "evidence-note", {}, ["Labels show what kind of study each statement rests on; results in animals or from surveys may not apply to you."]),
    ]);
  }

  function replyKind(reply) {
    if (reply.route === "crisis") return "crisis";
    if (reply.route === "personal_dosing" || reply.route === "treatment_substitution") return "refusal";
    if (reply.route === "out_of_scope") return "out_of_scope";
    return reply.abstained ? "abstain" : "answer";
  }

  /** The assistant's reply, styled by route; the same function renders live and restored replies. */
  function replyNode(reply) {
    const kind = replyKind(reply);
    const box = el("div", `reply reply-${kind}`, { "data-route": reply.route });
    const resources = reply.resources || [];
    const suggestions = reply.suggestions || [];
    if (kind === "crisis" && resources.length) box.append(crisisResources(resources));
    const label = kind === "refusal" ? LABELS[`refusal_${reply.route}`] : LABELS[kind];
    if (label) box.append(el("p", "reply-label", {}, [label]));
    box.append(sentencesNode(reply));
    if (kind === "answer" && reply.evidence_note) box.append(el("p", "evidence-note", {}, [reply.evidence_note]));
    if (kind !== "crisis" && resources.length) box.append(el("div", "resources", {}, [resourceList(resources)]));
    // An abstention's last sentence already introduces its suggestions.
    if (suggestions.length) box.append(suggestionsNode(suggestions, kind !== "abstain"));
    // A refusal may carry cited evidence below it (refuse, then inform): list its sources too.
    if ((kind === "answer" || kind === "refusal") && reply.citations && reply.citations.length) {
      box.append(sourcesNode(reply.citations));
    }
    return box;
  }

  function plainText(reply) {
    const lead = reply.route === "crisis" ? "Help is available right now. " : "";
    return `Assistant: ${lead}${reply.sentences.map((s) => s.text).join(" ")}`;
  }

  /* ---------- Rendering turns ---------- */

  function turnItem(role, index, children) {
    const author = role === "user" ? "You" : "Assistant";
    return el("li", `msg msg-${role === "user" ? "user" : "assistant"}`, { "data-index": String(index) },
      [el("p", "msg-author", {}, [author]), ...children]);
  }

  function userNode(turn, index) {
    const item = turnItem("user", index, [el("p", "user-bubble", {}, [turn.text])]);
    if (turn.failed) item.classList.add("msg-failed");
    return item;
  }

  function errorNode(turn, index) {
    const retry = el("button", "button button-primary", { type: "button" }, ["Retry"]);
    retry.addEventListener("click", () => retryAt(index));
    const box = el("div", "reply reply-error", {}, [el("p", "error-text", {}, [turn.message]), retry]);
    return turnItem("error", index, [box]);
  }

  function turnNode(turn, index) {
    if (turn.role === "user") return userNode(turn, index);
    if (turn.role === "assistant") return turnItem("assistant", index, [replyNode(turn.reply)]);
    return errorNode(turn, index);
  }

  function renderAll() {
    els.transcript.replaceChildren(...turns.map(turnNode));
    els.welcome.hidden = turns.length > 0;
    if (turns.length) scrollToEnd();
    else els.scroller.scrollTop = 0;   // the welcome is read from its top
  }

  /** The placeholder answer: a typing indicator, then sentences as they stream in. */
  function pendingNode() {
    const typing = el("div", "typing", {}, [
      el("span", "typing-dot"), el("span", "typing-dot"), el("span", "typing-dot"),
      el("span", "visually-hidden", {}, ["The assistant is writing an answer"]),
    ]);
    const text = el("div", "reply-text");
    const box = el("div", "reply reply-streaming", {}, [text]);
    box.hidden = true;
    const item = turnItem("assistant", turns.length, [typing, box]);
    return {
      item,
      addSentence(sentence) {
        typing.remove();
        box.hidden = false;
        text.append(sentenceNode(sentence, citationMap(sentence.citation_details)));
        revealReply(item);
      },
    };
  }

  /* ---------- Asking ---------- */

  function setBusy(busy) {
    els.send.disabled = busy;
    els.transcript.setAttribute("aria-busy", String(busy));
  }

  /** Drop an unanswered question and its error: the user is asking again (it was put back in the box). */
  function dropFailedTail() {
    const last = turns[turns.length - 1];
    if (last && last.role === "error") {
      turns.splice(turns.length - 2, 2);
      renderAll();
    }
  }

  function ask(question) {
    const text = question.trim();
    if (!text || inFlight) return;
    dropFailedTail();
    turns.push({ role: "user", text: text.slice(0, MAX_CHARS) });
    save();
    els.welcome.hidden = true;
    els.transcript.append(userNode(turns[turns.length - 1], turns.length - 1));
    send(turns.length - 1);
  }

  async function send(userIndex) {
    const controller = new AbortController();
    inFlight = controller;
    setBusy(true);
    const pending = pendingNode();
    els.transcript.append(pending.item);
    scrollToEnd();
    try {
      const reply = await streamChat(historyFor(userIndex), controller.signal, pending.addSentence);
      turns.push({ role: "assistant", reply });
      const item = turnNode(turns[turns.length - 1], turns.length - 1);
      pending.item.replaceWith(item);
      revealReply(item);
      announce(plainText(reply));
    } catch (err) {
      if (controller.signal.aborted) return;   // "New conversation" cancelled it
      failed(userIndex, err.message, pending.item);
    } finally {
      if (inFlight === controller) {
        inFlight = null;
        setBusy(false);
      }
      save();
    }
  }

  /** Keep the question in the transcript with a Retry button, and put it back in the box. */
  function failed(userIndex, message, pendingItem) {
    const question = turns[userIndex];
    question.failed = true;
    turns.push({ role: "error", message });
    const userItem = els.transcript.querySelector(`[data-index="${userIndex}"]`);
    if (userItem) userItem.classList.add("msg-failed");
    const item = errorNode(turns[turns.length - 1], turns.length - 1);
    pendingItem.replaceWith(item);
    revealReply(item);
    if (!els.input.value.trim()) {
      els.input.value = question.text;
      updateCounter();
    }
    announce(`Error: ${message}`);
  }

  function retryAt(errorIndex) {
    if (inFlight || turns[errorIndex]?.role !== "error") return;
    const userIndex = errorIndex - 1;
    const question = turns[userIndex];
    turns.splice(errorIndex, 1);
    question.failed = false;
    // The question went back into the box when it failed; sending it again from there would duplicate it.
    if (els.input.value.trim() === question.text) {
      els.input.value = "";
      updateCounter();
    }
    els.transcript.querySelector(`[data-index="${errorIndex}"]`)?.remove();
    els.transcript.querySelector(`[data-index="${userIndex}"]`)?.classList.remove("msg-failed");
    save();
    els.input.focus();
    send(userIndex);
  }

  function newConversation() {
    if (inFlight) inFlight.abort();
    inFlight = null;
    setBusy(false);
    closePanel(false);
    turns = [];
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Nothing stored, nothing to remove.
    }
    renderAll();
    els.input.value = "";
    updateCounter();
    els.input.focus();
    announce("New conversation started.");
  }

  /* ---------- Composer ---------- */

  function updateCounter() {
    const n = els.input.value.length;
    els.counter.textContent = `${n} / ${MAX_CHARS} characters`;
    els.counter.classList.toggle("near-limit", n >= NEAR_LIMIT);
  }

  function submitInput() {
    const text = els.input.value;
    if (!text.trim() || inFlight) return;
    els.input.value = "";
    updateCounter();
    ask(text);
  }

  /* ---------- Source panel ---------- */

  function shortMeta(item) {
    return [item.authors, item.year, item.journal].filter(Boolean).join(" · ");
  }

  function setDesign(label) {
    const tier = EVIDENCE_TIERS[label];
    els.sourceDesign.className = `evidence design-badge${tier ? ` evidence-${tier}` : ""}`;
    els.sourceDesign.textContent = label || "Source";
  }

  function setLinks(source) {
    const links = [];
    if (source.doi) links.push(externalLink(`https://doi.org/${source.doi}`, `DOI: ${source.doi}`));
    if (source.pmid) links.push(externalLink(`https://pubmed.ncbi.nlm.nih.gov/${encodeURIComponent(source.pmid)}/`, `PubMed: ${source.pmid}`));
    if (!links.length && source.url) links.push(externalLink(source.url, "View the original source"));
    els.sourceLinks.replaceChildren(...links.filter(Boolean));
  }

  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];

  /** "2026-11-22" → "22 November 2026" (the date as written, whatever the reader's time zone). */
  function longDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : "";
  }

  function normalise(text) {
    return text.toLowerCase().replace(/\s+/g, " ").replace(/[^\p{L}\p{N} ]/gu, "").trim();
  }

  /** The entry's sentences with the cited one wrapped in <mark>; the mark, if found. */
  function renderSourceText(sentences, quote) {
    const target = normalise(quote || "");
    const norm = sentences.map(normalise);
    let hit = norm.indexOf(target);
    if (hit < 0 && target) hit = norm.findIndex((s) => s && (s.includes(target) || target.includes(s)));
    const paragraph = el("p");
    let mark = null;
    sentences.forEach((s, i) => {
      if (i) paragraph.append(" ");
      if (i === hit) {
        mark = el("mark", "", {}, [s]);
        paragraph.append(mark);
      } else {
        paragraph.append(s);
      }
    });
    if (!mark && quote) {
      // The quote is not among the sentences (a reworded entry): still show what was cited.
      mark = el("mark", "", {}, [quote]);
      els.sourceText.replaceChildren(el("p", "", {}, [mark]), paragraph);
    } else {
      els.sourceText.replaceChildren(paragraph);
    }
    return mark;
  }

  /** data-state lets tests wait for the full text; aria-busy tells screen readers it is coming. */
  function setPanelState(state) {
    els.panel.dataset.state = state;
    els.panel.setAttribute("aria-busy", String(state === "loading"));
  }

  /** Bring the highlighted sentence into view, keeping the title in view where the text scrolls on its own. */
  function showMark(mark) {
    const box = els.sourceText;
    if (box.scrollHeight > box.clientHeight + 1) box.scrollTop = mark.offsetTop - box.clientHeight / 3;
    else mark.scrollIntoView({ block: "nearest" });
  }

  /** Fill the panel from the citation at once, then from the full entry when it arrives. */
  function fillFromCitation(citation) {
    els.sourceNumber.textContent = String(citation.n);
    setDesign(citation.design);
    els.sourceTitle.textContent = citation.title;
    els.sourceMeta.textContent = shortMeta(citation);
    els.sourceVia.hidden = !citation.via;
    els.sourceVia.textContent = citation.via ? `Cited in our summary: ${citation.via}` : "";
    els.sourcePopulation.hidden = true;
    els.sourceReviewed.hidden = true;
    setLinks({ url: citation.url });
    renderSourceText([], citation.quote);
    els.sourceStatus.textContent = "Loading the full text…";
    setPanelState("loading");
  }

  async function fetchSource(id) {
    const response = await fetch(`/api/sources/${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  async function loadSource(citation, token) {
    try {
      const source = await fetchSource(citation.id);
      if (token !== panelToken) return;
      setDesign(source.design || citation.design);
      els.sourceMeta.textContent = shortMeta(source);
      els.sourcePopulation.hidden = !source.population;
      els.sourcePopulation.textContent = source.population ? `Who was studied: ${source.population}` : "";
      const reviewed = longDate(source.reviewed_on);
      els.sourceReviewed.hidden = !reviewed;
      els.sourceReviewed.textContent = reviewed ? `Last reviewed by our editors: ${reviewed}` : "";
      setLinks(source);
      const mark = renderSourceText(source.sentences || [], citation.quote);
      els.sourceStatus.textContent = "";
      setPanelState("ready");
      if (mark) showMark(mark);
    } catch {
      if (token !== panelToken) return;
      els.sourceStatus.textContent = "The full text could not be loaded; the cited passage is shown above.";
      setPanelState("error");
    }
  }

  /** Name the summary that cited the source by its title rather than its id, when we can. */
  async function loadVia(via, token) {
    try {
      const summary = await fetchSource(via);
      if (token !== panelToken || !summary.title) return;
      els.sourceVia.textContent = `Cited in our summary: ${summary.title}`;
      // A title longer than the id moves the text down; on a phone that can push the highlighted
      // sentence below the sheet's edge, so bring it back into view once the text is shown.
      const mark = els.sourceText.querySelector("mark");
      if (mark && els.panel.dataset.state === "ready") showMark(mark);
    } catch {
      // The id already shown is good enough.
    }
  }

  function setPanelModal(open) {
    // As a bottom sheet the panel covers the chat, so the chat must not take focus behind it.
    const modal = open && narrowScreen.matches;
    els.main.inert = modal;
    els.header.inert = modal;
    els.backdrop.hidden = !modal;
    if (modal) els.panel.setAttribute("aria-modal", "true");
    else els.panel.removeAttribute("aria-modal");
  }

  function openSource(citation, opener) {
    if (panelOpener) panelOpener.setAttribute("aria-expanded", "false");
    panelOpener = opener;
    if (opener.classList.contains("cite")) opener.setAttribute("aria-expanded", "true");
    const token = ++panelToken;
    fillFromCitation(citation);
    els.panel.hidden = false;
    setPanelModal(true);
    els.panel.scrollTop = 0;
    els.sourceTitle.focus();
    loadSource(citation, token);
    if (citation.via) loadVia(citation.via, token);
  }

  function closePanel(restoreFocus = true) {
    if (els.panel.hidden) return;
    els.panel.hidden = true;
    setPanelModal(false);
    panelToken += 1;
    const opener = panelOpener;
    panelOpener = null;
    if (opener) opener.setAttribute("aria-expanded", "false");
    if (!restoreFocus) return;
    if (opener && opener.isConnected) opener.focus();
    else els.input.focus();
  }

  /* ---------- Wiring ---------- */

  function wire() {
    els.form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitInput();
    });
    els.input.addEventListener("keydown", (event) => {
      // Enter sends, Shift+Enter is a new line; never while an IME is composing a word.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submitInput();
      }
    });
    els.input.addEventListener("input", updateCounter);
    els.newChat.addEventListener("click", newConversation);
    for (const chip of document.querySelectorAll("#starters .chip")) {
      chip.addEventListener("click", (event) => {
        ask(chip.dataset.question);
        // The starters disappear once asked; a keyboard user (detail 0) continues in the box.
        if (event.detail === 0) els.input.focus();
      });
    }
    els.panelClose.addEventListener("click", () => closePanel());
    els.backdrop.addEventListener("click", () => closePanel());
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !els.panel.hidden) {
        event.preventDefault();
        closePanel();
      }
    });
    narrowScreen.addEventListener("change", () => setPanelModal(!els.panel.hidden));
  }

  /** "KB updated on …" under the disclaimer; the page works the same without it. */
  async function showKbUpdated() {
    try {
      const response = await fetch("/api/kb", { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const info = await response.json();
      els.kbUpdated.textContent = info.message;
      els.kbUpdated.hidden = !info.message;
    } catch {
      // Not worth an error notice: the answers do not depend on it.
    }
  }

  function start() {
    wire();
    showKbUpdated();
    turns = load();
    try {
      renderAll();
    } catch {
      // Stored data from an older page version that no longer renders: start afresh.
      turns = [];
      save();
      renderAll();
    }
    updateCounter();
  }

  start();
})();
