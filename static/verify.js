/* verify.js: "Check my signature" (templates/verify.html): checks a
 * signer's receipt, a C2SP tlog-proof file, against the petition's public
 * log, in the browser; the receipt is never sent anywhere.
 *
 * The receipt holds "c2sp.org/tlog-proof@v1", "extra <base64 nonce>",
 * "index <N>", the inclusion proof (one base64 hash a line), a blank line
 * and the checkpoint the proof leads to: a C2SP signed note whose text is
 * "<host>/log/<number>", the tree size and the base64 root hash.  The
 * check, each step a line on the page with a tick or a cross, stopping at
 * the first that fails:
 *   1. the receipt parses, strictly, and its checkpoint's origin names
 *      this site (location.host) and an e-petition's number;
 *   2. the checkpoint is signed by this site's log key (GET /log/key,
 *      Ed25519 through WebCrypto; the key id is the first 4 bytes of
 *      SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), as Go's sumdb/note has
 *      it);
 *   3. the entry at index, read from its entry bundle (GET
 *      /log/N/tile/entries/...), is a "sig <day> <region> <commitment>"
 *      entry, and the proof leads from its RFC 6962 leaf hash to the
 *      checkpoint's root (RFC 9162, 2.1.3.2);
 *   4. SHA-256 of the nonce, in lowercase hex, is the entry's commitment;
 *   5. today's checkpoint (GET /log/N/checkpoint), signed by the same
 *      key, is consistent with the receipt's: a consistency proof made
 *      from the current tree's hash tiles, checked against both signed
 *      roots (RFC 9162, 2.1.4.2), so the tiles need no trust of their own;
 *   6. no entry after it is "void <index> ...": the entries from its
 *      bundle to the end are read, and today's root computed from their
 *      leaf hashes (and tiles for what comes before) must be the signed
 *      one.  Past MAX_BUNDLES bundles this is left to the command line,
 *      and the page says so.
 * The server serves tiles only up to its latest checkpoint, so every
 * bundle and tile is asked at the width the current tree (the checkpoint
 * read in step 5, read first) gives it.
 *
 * The page's words come from its hidden #verify-messages list, in the
 * page's language; "{}" holes are filled in order.
 *
 * tests/e2e/verify_tree.mjs runs the sections from "bytes" to "the log
 * over HTTP" (no I/O there: tiles come through the get it is given) in
 * Node against logs of up to 70,000 leaves, three levels of tiles. */
(function () {
  "use strict";
  var form = document.getElementById("verify-form");
  if (!form || !window.fetch || !window.TextEncoder || !window.FileReader) return;
  var fileInput = document.getElementById("verify-file");
  var textInput = document.getElementById("verify-text");
  var result = document.getElementById("verify-result");
  var status = document.getElementById("verify-status");
  var lines = document.getElementById("verify-lines");
  var lang = document.documentElement.lang === "fr" ? "fr-CA" : "en-CA";
  var HASH = 32;
  var MAX_PROOF = 64;
  var MAX_FILE = 65536;
  /* Entry bundles read to see that nothing took a signature back: past
   * 16,384 entries after it, the page says to use the command line. */
  var MAX_BUNDLES = 64;

  function msg(key) {
    var el = document.querySelector('#verify-messages [data-msg="' + key + '"]');
    var text = el ? el.textContent : key;
    for (var i = 1; i < arguments.length; i++) text = text.replace("{}", String(arguments[i]));
    return text;
  }

  function regionName(code) {
    var el = document.querySelector('#verify-messages [data-region="' + code + '"]');
    return el ? el.textContent : code;
  }

  /* A failed check: key names the message, args fill its holes. */
  function Failure(key, args) {
    this.key = key;
    this.args = args || [];
  }

  function fail(key) {
    throw new Failure(key, Array.prototype.slice.call(arguments, 1));
  }

  /* ---- bytes ---------------------------------------------------------- */

  var enc = new TextEncoder();

  /* Standard base64 with padding, canonical (what re-encoding gives back),
   * or null. */
  function unbase64(s) {
    if (s.length === 0 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
    var bin;
    try {
      bin = atob(s);
    } catch (e) {
      return null;
    }
    if (btoa(bin) !== s) return null;
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function concat() {
    var n = 0, i;
    for (i = 0; i < arguments.length; i++) n += arguments[i].length;
    var out = new Uint8Array(n), at = 0;
    for (i = 0; i < arguments.length; i++) {
      out.set(arguments[i], at);
      at += arguments[i].length;
    }
    return out;
  }

  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  function hex(b) {
    var s = "";
    for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16);
    return s;
  }

  function sha256(bytes) {
    return crypto.subtle.digest("SHA-256", bytes).then(function (d) { return new Uint8Array(d); });
  }

  /* A decimal without leading zeros (but "0"), within safe integers. */
  function decimal(s) {
    if (!/^(0|[1-9][0-9]{0,15})$/.test(s)) return -1;
    var n = Number(s);
    return Number.isSafeInteger(n) ? n : -1;
  }

  /* ---- RFC 6962 hashing and proofs (as core/tlog.c) -------------------- */

  function leafHash(entry) {
    return sha256(concat(new Uint8Array([0]), entry));
  }

  function nodeHash(l, r) {
    return sha256(concat(new Uint8Array([1]), l, r));
  }

  /* Whether proof leads from leaf, the leaf index of a tree of size, to
   * root (RFC 9162, 2.1.3.2). */
  async function checkRecord(proof, size, root, index, leaf) {
    if (size < 1 || index < 0 || index >= size) return false;
    var fn = index, sn = size - 1, h = leaf;
    for (var i = 0; i < proof.length; i++) {
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        h = await nodeHash(proof[i], h);
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      } else {
        h = await nodeHash(h, proof[i]);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    return sn === 0 && equal(h, root);
  }

  /* Whether proof shows the tree (old, oldRoot) a prefix of (size, root)
   * (RFC 9162, 2.1.4.2). */
  async function checkTree(proof, size, root, old, oldRoot) {
    if (old < 1 || old > size) return false;
    if (old === size) return proof.length === 0 && equal(root, oldRoot);
    var fn = old - 1, sn = size - 1, i = 0, first;
    if (isPowerOfTwo(old)) {
      first = oldRoot; /* a complete subtree: RFC 6962 leaves it out */
    } else {
      if (proof.length < 1) return false;
      first = proof[0];
      i = 1;
    }
    while (fn % 2 === 1) {
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    var fr = first, sr = first;
    for (; i < proof.length; i++) {
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        fr = await nodeHash(proof[i], fr);
        sr = await nodeHash(proof[i], sr);
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      } else {
        sr = await nodeHash(sr, proof[i]);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    return sn === 0 && equal(fr, oldRoot) && equal(sr, root);
  }

  function isPowerOfTwo(n) {
    while (n > 1 && n % 2 === 0) n /= 2;
    return n === 1;
  }

  /* The largest power of two below n (n > 1). */
  function splitOf(n) {
    var k = 1;
    while (k * 2 < n) k *= 2;
    return k;
  }

  /* ---- tiles (C2SP tlog-tiles) and proofs from them --------------------- */

  /* A tile's index in C2SP's path form: "x001/x234/067". */
  function tileIndex(n) {
    var s = String(n % 1000).padStart(3, "0");
    for (n = Math.floor(n / 1000); n > 0; n = Math.floor(n / 1000))
      s = "x" + String(n % 1000).padStart(3, "0") + "/" + s;
    return s;
  }

  /* The path of tile t of level ("entries" for a bundle) whose level
   * holds count items in the current tree: full, or partial at the
   * edge. */
  function tilePath(number, level, t, count) {
    var w = Math.min(256, count - t * 256);
    return "/log/" + number + "/tile/" + level + "/" + tileIndex(t) + (w < 256 ? ".p/" + w : "");
  }

  /* The entries of a C2SP entry bundle (uint16 big-endian length, the
   * bytes), or null when malformed. */
  function bundleEntries(b) {
    var out = [];
    for (var at = 0; at < b.length;) {
      if (at + 2 > b.length) return null;
      var n = (b[at] << 8) | b[at + 1];
      if (at + 2 + n > b.length) return null;
      out.push(b.subarray(at + 2, at + 2 + n));
      at += 2 + n;
    }
    return out;
  }

  /* Hashes of the tree of size leaves read from its hash tiles, as Go's
   * tlog.TileHashReader: the hash at (level, index) is in tile
   * floor(level / 8), made from the 2^(level % 8) hashes there that it
   * covers.  Tiles are fetched once each, through get(path) (bytes, or
   * null when there is none). */
  function tileReader(number, size, get) {
    var tiles = {};
    function tile(L, t) {
      var key = L + "/" + t;
      if (!tiles[key]) {
        var count = Math.floor(size / Math.pow(256, L));
        tiles[key] = get(tilePath(number, L, t, count)).then(function (b) {
          var want = Math.min(256, count - t * 256) * HASH;
          if (!b || b.length !== want) fail("err_today");
          return b;
        });
      }
      return tiles[key];
    }
    async function combine(b, from, k) {
      if (k === 0) return b.slice(from * HASH, (from + 1) * HASH);
      var half = Math.pow(2, k - 1);
      return nodeHash(await combine(b, from, k - 1), await combine(b, from + half, k - 1));
    }
    return async function (level, index) {
      var L = Math.floor(level / 8), k = level % 8;
      var first = index * Math.pow(2, k); /* at tree level 8·L */
      var b = await tile(L, Math.floor(first / 256));
      return combine(b, first % 256, k);
    };
  }

  /* hashAt, but with the hashes of the leaves from first on (a tile's
   * edge) made from entries [{leaf}] instead of read: a root computed
   * through it equal to a signed root proves those entries. */
  function withEntries(hashAt, first, entries) {
    async function made(level, lo) {
      if (level === 0) return entries[lo - first].leaf;
      var half = Math.pow(2, level - 1);
      return nodeHash(await made(level - 1, lo), await made(level - 1, lo + half));
    }
    return async function at(level, index) {
      var n = Math.pow(2, level), lo = index * n;
      if (lo >= first) return made(level, lo);
      if (lo + n <= first) return hashAt(level, index);
      return nodeHash(await at(level - 1, 2 * index), await at(level - 1, 2 * index + 1));
    };
  }

  /* The hash of leaves [lo, hi), lo aligned as RFC 6962's split leaves
   * it, from complete subtrees read through hashAt. */
  async function rangeHash(lo, hi, hashAt) {
    var n = hi - lo;
    if (isPowerOfTwo(n)) {
      var level = Math.round(Math.log2(n));
      return hashAt(level, lo / n);
    }
    var k = splitOf(n);
    return nodeHash(await rangeHash(lo, lo + k, hashAt), await rangeHash(lo + k, hi, hashAt));
  }

  /* The consistency proof from the tree of m leaves to the tree of n
   * (RFC 6962, 2.1.2: SUBPROOF), leaves [lo, lo + n). */
  async function subproof(m, lo, n, complete, hashAt, out) {
    if (m === n) {
      if (!complete) out.push(await rangeHash(lo, lo + n, hashAt));
      return;
    }
    var k = splitOf(n);
    if (m <= k) {
      await subproof(m, lo, k, complete, hashAt, out);
      out.push(await rangeHash(lo + k, lo + n, hashAt));
    } else {
      await subproof(m - k, lo + k, n - k, false, hashAt, out);
      out.push(await rangeHash(lo, lo + k, hashAt));
    }
  }

  /* ---- the log over HTTP ----------------------------------------------- */

  /* GET path: its bytes, null for 404, a Failure for the rest. */
  async function get(path) {
    var r;
    try {
      r = await fetch(path, { cache: "no-store", credentials: "omit" });
    } catch (e) {
      fail("err_network");
    }
    if (r.status === 404) return null;
    if (!r.ok) fail("err_network");
    try {
      return new Uint8Array(await r.arrayBuffer());
    } catch (e) {
      fail("err_network");
    }
  }

  /* ---- signed notes (C2SP signed-note) and checkpoints ------------------ */

  /* The verifier keys of GET /log/key: "<name>+<8 hex id>+<base64(0x01 ‖
   * key)>" a line; each {name, id, key: CryptoKey}, those whose id is not
   * what the name and key make left out. */
  async function logKeys(body) {
    var out = [];
    var text = new TextDecoder().decode(body);
    var all = text.split("\n");
    for (var i = 0; i < all.length; i++) {
      var m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(all[i]);
      if (!m) continue;
      var raw = unbase64(m[3]);
      if (!raw || raw.length !== 33 || raw[0] !== 1) continue;
      var id = (await sha256(concat(enc.encode(m[1] + "\n"), raw))).subarray(0, 4);
      if (hex(id) !== m[2]) continue;
      var key = await crypto.subtle.importKey("raw", raw.subarray(1), { name: "Ed25519" }, false,
        ["verify"]);
      out.push({ name: m[1], id: id, key: key });
    }
    return out;
  }

  /* A signed note's parts: {text (bytes signed), lines (of the text),
   * sigs: [{name, id, sig}]}, or null when not one. */
  function parseNote(s) {
    var end = s.indexOf("\n\n");
    if (end < 0 || s.length === 0 || s[s.length - 1] !== "\n") return null;
    var text = s.slice(0, end + 1);
    var sigs = [];
    var rest = s.slice(end + 2, -1).split("\n");
    for (var i = 0; i < rest.length; i++) {
      var m = /^\u2014 ([^ +\s]+) ([A-Za-z0-9+/=]+)$/.exec(rest[i]);
      if (!m) return null;
      var b = unbase64(m[2]);
      if (!b || b.length < 5) return null;
      sigs.push({ name: m[1], id: b.subarray(0, 4), sig: b.subarray(4) });
    }
    if (sigs.length === 0) return null;
    return { text: enc.encode(text), lines: text.slice(0, -1).split("\n"), sigs: sigs };
  }

  /* Whether one of the note's signatures is a valid Ed25519 signature by
   * one of keys; the key's name when so, else null. */
  async function noteSigned(note, keys) {
    for (var i = 0; i < note.sigs.length; i++) {
      var s = note.sigs[i];
      for (var j = 0; j < keys.length; j++) {
        var k = keys[j];
        if (k.name !== s.name || !equal(k.id, s.id) || s.sig.length !== 64) continue;
        if (await crypto.subtle.verify({ name: "Ed25519" }, k.key, s.sig, note.text)) return k.name;
      }
    }
    return null;
  }

  /* A checkpoint's {origin, size, root}, or null. */
  function checkpointOf(note) {
    var l = note.lines;
    if (l.length < 3) return null;
    var size = decimal(l[1]);
    var root = unbase64(l[2]);
    if (size < 0 || !root || root.length !== HASH || l[0] === "") return null;
    return { origin: l[0], size: size, root: root };
  }

  /* ---- the receipt ----------------------------------------------------- */

  /* A tlog-proof file (C2SP tlog-proof, as core/tlog.c writes it):
   * {extra, index, proof: [hash], note (parsed), checkpoint} or a
   * Failure. */
  function parseReceipt(s) {
    var at = 0;
    function line() {
      var nl = s.indexOf("\n", at);
      if (nl < 0) fail("err_format");
      var l = s.slice(at, nl);
      at = nl + 1;
      return l;
    }
    if (line() !== "c2sp.org/tlog-proof@v1") fail("err_format");
    var l = line(), extra = null;
    if (l.indexOf("extra ") === 0) {
      extra = unbase64(l.slice(6));
      if (!extra) fail("err_format");
      l = line();
    }
    if (l.indexOf("index ") !== 0) fail("err_format");
    var index = decimal(l.slice(6));
    if (index < 0) fail("err_format");
    var proof = [];
    for (;;) {
      l = line();
      if (l === "") break;
      var h = unbase64(l);
      if (!h || h.length !== HASH || proof.length >= MAX_PROOF) fail("err_format");
      proof.push(h);
    }
    var note = parseNote(s.slice(at));
    if (!extra || !note) fail("err_format");
    var cp = checkpointOf(note);
    if (!cp) fail("err_format");
    return { extra: extra, index: index, proof: proof, note: note, checkpoint: cp };
  }

  /* A "sig <YYYY-MM-DD> <region> <commitment>" entry's parts, or null. */
  function sigEntry(bytes) {
    var s = new TextDecoder().decode(bytes);
    var m = /^sig ([0-9]{4}-[0-9]{2}-[0-9]{2}) ([A-Z]{2}) ([0-9a-f]{64})$/.exec(s);
    return m ? { day: m[1], region: m[2], commitment: m[3] } : null;
  }

  function dayText(day) {
    var d = new Date(day + "T12:00:00Z");
    if (isNaN(d.getTime())) return day;
    return new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", day: "numeric",
      timeZone: "UTC" }).format(d);
  }

  /* ---- the check ------------------------------------------------------- */

  /* A line of the result: ok true (a tick), false (a cross), null (not
   * checked here: a dash). */
  function show(ok, text) {
    var li = document.createElement("li");
    li.className = ok === null ? "verify-skipped" : ok ? "verify-ok" : "verify-failed";
    var mark = document.createElement("span");
    mark.className = "verify-mark";
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = ok === null ? "\u2013" : ok ? "\u2713" : "\u2717";
    var said = document.createElement("span");
    said.className = "visually-hidden";
    said.textContent = msg(ok === null ? "not_checked" : ok ? "proven" : "failed") + " ";
    li.appendChild(mark);
    li.appendChild(said);
    li.appendChild(document.createTextNode(text));
    lines.appendChild(li);
  }

  async function check(text) {
    if (!window.crypto || !crypto.subtle) fail("err_browser");
    var r = parseReceipt(text);
    var origin = r.checkpoint.origin;
    var slash = origin.indexOf("/");
    var host = slash < 0 ? origin : origin.slice(0, slash);
    if (host !== location.host) fail("err_site", host, location.host);
    var m = /^[^/]+\/log\/([1-9][0-9]{0,6})$/.exec(origin);
    if (!m) fail("err_format");
    var number = m[1];

    /* 1. The receipt's checkpoint is signed by this site's key. */
    var keyBody = await get("/log/key");
    if (!keyBody) fail("err_no_log", number);
    var keys;
    try {
      keys = await logKeys(keyBody);
    } catch (e) {
      fail("err_browser"); /* no Ed25519 in this browser's WebCrypto */
    }
    var signer = await noteSigned(r.note, keys);
    if (!signer) fail("err_key");
    show(true, msg("ok_key", signer));

    /* Today's checkpoint, also signed by this site's key. */
    var nowBody = await get("/log/" + number + "/checkpoint");
    if (!nowBody) fail("err_no_log", number);
    var nowNote = parseNote(new TextDecoder().decode(nowBody));
    var now = nowNote && checkpointOf(nowNote);
    if (!now || now.origin !== origin || !(await noteSigned(nowNote, keys))) fail("err_today_key");
    if (now.size < r.checkpoint.size) fail("err_today");

    /* 2. The entry at index, and the proof from it to the signed root. */
    if (r.index >= r.checkpoint.size) fail("err_proof");
    var t = Math.floor(r.index / 256);
    var bundle = await get(tilePath(number, "entries", t, now.size));
    var entries = bundle && bundleEntries(bundle);
    if (!entries || entries.length <= r.index % 256) fail("err_network");
    var entry = entries[r.index % 256];
    var sig = sigEntry(entry);
    if (!sig) fail("err_entry", r.index);
    if (!(await checkRecord(r.proof, r.checkpoint.size, r.checkpoint.root, r.index,
      await leafHash(entry))))
      fail("err_proof");
    show(true, msg("ok_entry", number, r.index, dayText(sig.day), regionName(sig.region)));

    /* 3. The nonce is the one the entry commits to. */
    if (hex(await sha256(r.extra)) !== sig.commitment) fail("err_nonce");
    show(true, msg("ok_nonce"));

    /* 4. Today's tree holds the receipt's as its beginning. */
    var hashAt = tileReader(number, now.size, get);
    var proof = [];
    if (r.checkpoint.size < now.size)
      await subproof(r.checkpoint.size, 0, now.size, true, hashAt, proof);
    if (!(await checkTree(proof, now.size, now.root, r.checkpoint.size, r.checkpoint.root)))
      fail("err_today");
    show(true, msg("ok_today", count(now.size)));

    /* 5. Nothing after it takes it back: read from its bundle to the end,
     * each entry proven by today's root. */
    var after = now.size - r.index - 1;
    if (Math.ceil(now.size / 256) - t > MAX_BUNDLES) {
      show(null, msg("skip_counts", count(after)));
      return { number: number, counted: false };
    }
    var later = await entriesFrom(number, t, bundle, now.size);
    if (!equal(await rangeHash(0, now.size, withEntries(hashAt, t * 256, later)), now.root))
      fail("err_today");
    var voided = "void " + r.index + " ";
    for (var i = r.index % 256 + 1; i < later.length; i++) {
      var e = new TextDecoder().decode(later[i].entry);
      if (e.indexOf(voided) === 0) fail("err_void", t * 256 + i, e);
    }
    show(true, msg("ok_counts", count(after)));
    return { number: number, counted: true };
  }

  function count(n) {
    return new Intl.NumberFormat(lang).format(n);
  }

  /* The entries of the bundles from t to the end of a tree of size, each
   * {entry, leaf: its leaf hash}; first is bundle t, read already. */
  async function entriesFrom(number, t, first, size) {
    var out = [];
    for (var b = t; b * 256 < size; b++) {
      var bytes = b === t ? first : await get(tilePath(number, "entries", b, size));
      var es = bytes && bundleEntries(bytes);
      if (!es || es.length !== Math.min(256, size - b * 256)) fail("err_network");
      for (var i = 0; i < es.length; i++) out.push({ entry: es[i], leaf: await leafHash(es[i]) });
    }
    return out;
  }

  function readFile(f) {
    return new Promise(function (res) {
      var fr = new FileReader();
      fr.onload = function () { res(String(fr.result)); };
      fr.onerror = function () { res(null); };
      fr.readAsText(f);
    });
  }

  var busy = false;
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    if (busy) return;
    busy = true;
    lines.textContent = "";
    result.hidden = false;
    result.className = "verify-result";
    status.textContent = msg("checking");
    try {
      var text = textInput.value;
      if (!text.trim() && fileInput.files && fileInput.files.length) {
        text = fileInput.files[0].size <= MAX_FILE ? await readFile(fileInput.files[0]) : "x";
        if (text === null) fail("err_file");
      }
      if (!text.trim()) fail("err_empty");
      /* Pasted text may come with CRLF or without the final newline. */
      text = text.replace(/\r\n/g, "\n");
      if (text[text.length - 1] !== "\n") text += "\n";
      var done = await check(text);
      result.className = "verify-result verify-result-ok";
      status.textContent = msg(done.counted ? "all_ok" : "all_in_log", done.number);
    } catch (e) {
      if (!(e instanceof Failure) && window.console) console.error(e);
      var f = e instanceof Failure ? e : new Failure("err_network", []);
      result.className = "verify-result verify-result-failed";
      status.textContent = msg("some_failed");
      show(false, msg.apply(null, [f.key].concat(f.args)));
    }
    busy = false;
    result.focus();
  });
  /* A file chosen is shown in the text box (a receipt is a few lines of
   * text; anything much longer is not one, and is left out). */
  fileInput.addEventListener("change", async function () {
    var f = fileInput.files && fileInput.files[0];
    if (!f) return;
    textInput.value = f.size <= MAX_FILE ? (await readFile(f)) || "" : "";
  });
  /* The form shows only with the script. */
  form.hidden = false;
})();
