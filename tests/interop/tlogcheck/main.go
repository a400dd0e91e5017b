// tlogcheck: checks one petition's transparency log (issue 18) with Go's
// golang.org/x/mod/sumdb/note and sumdb/tlog, code petitiond's authors did
// not write, so that a log that passes is one any client of C2SP's
// tlog-tiles, tlog-checkpoint, signed-note and tlog-proof reads alike.
//
// usage:
//
//	tlogcheck [-receipt FILE] [-since FILE] [-tree-proof FILE] [-count N] BASE NUMBER
//
// BASE is the site (an http:// or https:// URL) or a folder holding the
// same files.  The checks, each printed as it is made:
//
//   - <BASE>/log/key: one verifier key a line (Go's note.NewVerifier form),
//     the first the current key;
//   - <BASE>/log/NUMBER/checkpoint: signed by the current key (note.Open),
//     its origin ending in "/log/NUMBER", its size and root hash;
//   - the hash tiles <BASE>/log/NUMBER/tile/L/N[.p/W] (C2SP's paths: no
//     height element, unlike Go's own "tile/8/L/N"), read through
//     tlog.TileHashReader, which checks every tile it reads against the
//     checkpoint's root, and tlog.TreeHash giving that root;
//   - every entry bundle <BASE>/log/NUMBER/tile/entries/N[.p/W]: exactly
//     the entries the tree has there, each entry's RFC 6962 leaf hash
//     (tlog.RecordHash) the level 0 hash the tiles hold, each entry of a
//     form the issue gives ("sig DATE REGION COMMITMENT", "void INDEX
//     REASON", "import REGION N"), and the count they attest (the sum of
//     the imports' n, plus the sigs, less the voids), equal to N when
//     -count N is given;
//   - -receipt FILE: a C2SP tlog-proof file; its checkpoint signed by a
//     key of <BASE>/log/key and of the same origin; its entry is a "sig"
//     entry whose commitment is the SHA-256 of the receipt's extra (the
//     nonce); its inclusion proof checked with tlog.CheckRecord; its
//     checkpoint consistent with the current one (tlog.ProveTree from the
//     tiles, tlog.CheckTree);
//   - -since FILE: an older checkpoint, signed by a key of <BASE>/log/key,
//     of the same origin, consistent with the current one (as above);
//   - -tree-proof FILE: a consistency proof made by petitiond from the
//     -since checkpoint to the current one (base64 hashes, one a line),
//     checked with tlog.CheckTree.
//
// It exits 0 only when every check holds, 1 otherwise, 2 on bad usage.
//
// Built offline against Debian's golang-golang-x-mod-dev, in GOPATH mode:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o tlogcheck main.go
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const height = 8 // C2SP tlog-tiles

var failures int

func ok(format string, args ...interface{}) {
	fmt.Printf("ok: "+format+"\n", args...)
}

func fail(format string, args ...interface{}) {
	failures++
	fmt.Printf("FAIL: "+format+"\n", args...)
}

// fatal reports a failure that stops the checks.
func fatal(format string, args ...interface{}) {
	fail(format, args...)
	fmt.Printf("%d check(s) failed\n", failures)
	os.Exit(1)
}

type source struct {
	base  string
	http  bool
	reads int
	bytes int64
}

var client = &http.Client{Timeout: 30 * time.Second}

// get reads <base>/<path>.
func (s *source) get(path string) ([]byte, error) {
	s.reads++
	if !s.http {
		b, err := os.ReadFile(filepath.Join(s.base, filepath.FromSlash(path)))
		s.bytes += int64(len(b))
		return b, err
	}
	url := strings.TrimRight(s.base, "/") + "/" + path
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	s.bytes += int64(len(b))
	return b, nil
}

// tilePath is C2SP's path of a tile after "tile/": Go's Tile.Path() is
// "tile/H/L/N[.p/W]", C2SP's has no height element.
func tilePath(t tlog.Tile) string {
	p := t.Path()
	prefix := fmt.Sprintf("tile/%d/", height)
	if !strings.HasPrefix(p, prefix) {
		panic("unexpected tile path " + p)
	}
	return strings.TrimPrefix(p, prefix)
}

// bundlePath is the path of entry bundle n of width w after "tile/".
func bundlePath(n int64, w int) string {
	t := tlog.Tile{H: height, L: 0, N: n, W: w}
	return "entries/" + strings.TrimPrefix(tilePath(t), "0/")
}

type tileReader struct {
	src    *source
	prefix string // "log/NUMBER/tile/"
	tiles  int
}

func (r *tileReader) Height() int { return height }

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		b, err := r.src.get(r.prefix + tilePath(t))
		if err != nil {
			return nil, err
		}
		if len(b) != t.W*tlog.HashSize {
			return nil, fmt.Errorf("tile %s: %d bytes, not %d", tilePath(t), len(b), t.W*tlog.HashSize)
		}
		out[i] = b
		r.tiles++
	}
	return out, nil
}

func (r *tileReader) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

type checkpoint struct {
	origin string
	tree   tlog.Tree
	signer string
}

// openCheckpoint checks a checkpoint's signature by one of keys and reads
// its three lines (C2SP tlog-checkpoint; extension lines allowed).
func openCheckpoint(msg []byte, keys []note.Verifier) (checkpoint, error) {
	n, err := note.Open(msg, note.VerifierList(keys...))
	if err != nil {
		return checkpoint{}, err
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[0] == "" {
		return checkpoint{}, errors.New("not a checkpoint: fewer than three lines")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return checkpoint{}, fmt.Errorf("not a checkpoint: size %q", lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		return checkpoint{}, fmt.Errorf("not a checkpoint: root %q", lines[2])
	}
	return checkpoint{lines[0], tlog.Tree{N: size, Hash: root}, n.Sigs[0].Name}, nil
}

type receipt struct {
	extra []byte
	index int64
	proof tlog.RecordProof
	cp    []byte
}

// parseReceipt reads a C2SP tlog-proof file.
func parseReceipt(b []byte) (receipt, error) {
	var r receipt
	rest := b
	line := func() (string, error) {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			return "", errors.New("a line without its newline")
		}
		l := string(rest[:i])
		rest = rest[i+1:]
		return l, nil
	}
	l, err := line()
	if err != nil || l != "c2sp.org/tlog-proof@v1" {
		return r, errors.New("no c2sp.org/tlog-proof@v1 line")
	}
	if l, err = line(); err != nil {
		return r, err
	}
	if strings.HasPrefix(l, "extra ") {
		if r.extra, err = base64.StdEncoding.DecodeString(l[6:]); err != nil {
			return r, fmt.Errorf("extra: %v", err)
		}
		if l, err = line(); err != nil {
			return r, err
		}
	}
	if !strings.HasPrefix(l, "index ") {
		return r, errors.New("no index line")
	}
	if r.index, err = strconv.ParseInt(l[6:], 10, 64); err != nil || r.index < 0 ||
		strconv.FormatInt(r.index, 10) != l[6:] {
		return r, fmt.Errorf("index %q", l[6:])
	}
	for {
		if l, err = line(); err != nil {
			return r, err
		}
		if l == "" {
			break
		}
		h, err := tlog.ParseHash(l)
		if err != nil {
			return r, fmt.Errorf("proof hash %q", l)
		}
		r.proof = append(r.proof, h)
	}
	r.cp = rest
	return r, nil
}

var (
	sigForm    = regexp.MustCompile(`^sig (\d{4}-\d{2}-\d{2}) ([A-Z]{2}) ([0-9a-f]{64})$`)
	voidForm   = regexp.MustCompile(`^void (0|[1-9]\d*) ([a-z0-9-]+)$`)
	importForm = regexp.MustCompile(`^import ([A-Z]{2}) (0|[1-9]\d*)$`)
)

func readKeys(src *source) []note.Verifier {
	b, err := src.get("log/key")
	if err != nil {
		fatal("log/key: %v", err)
	}
	var keys []note.Verifier
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		v, err := note.NewVerifier(sc.Text())
		if err != nil {
			fatal("log/key: %q: %v", sc.Text(), err)
		}
		keys = append(keys, v)
	}
	if len(keys) == 0 {
		fatal("log/key: no key")
	}
	ok("log/key: %d key(s), current %s+%08x", len(keys), keys[0].Name(), keys[0].KeyHash())
	return keys
}

// consistent checks that old is a prefix of cur: the proof made by Go from
// the tiles, checked by Go.
func consistent(what string, old, cur tlog.Tree, hr tlog.HashReader) {
	if old.N > cur.N {
		fail("%s: size %d is beyond the current %d", what, old.N, cur.N)
		return
	}
	if old.N == 0 {
		ok("%s: the empty tree", what)
		return
	}
	p, err := tlog.ProveTree(cur.N, old.N, hr)
	if err != nil {
		fail("%s: consistency proof from the tiles: %v", what, err)
		return
	}
	if err := tlog.CheckTree(p, cur.N, cur.Hash, old.N, old.Hash); err != nil {
		fail("%s: tree %d %s is not a prefix of tree %d %s: %v", what, old.N, old.Hash, cur.N, cur.Hash, err)
		return
	}
	ok("%s: tree %d is a prefix of tree %d (consistency proof of %d hashes)", what, old.N, cur.N, len(p))
}

func main() {
	receiptFile := flag.String("receipt", "", "a receipt (.tlog-proof) to check")
	sinceFile := flag.String("since", "", "an older checkpoint to check consistency with")
	treeProofFile := flag.String("tree-proof", "", "petitiond's consistency proof from -since to the current checkpoint")
	wantCount := flag.Int64("count", -1, "the count the log must attest")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: tlogcheck [-receipt FILE] [-since FILE] [-tree-proof FILE] [-count N] BASE NUMBER\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 2 || (*treeProofFile != "" && *sinceFile == "") {
		flag.Usage()
		os.Exit(2)
	}
	base, number := flag.Arg(0), flag.Arg(1)
	src := &source{base: base, http: strings.HasPrefix(base, "http://") || strings.HasPrefix(base, "https://")}
	prefix := "log/" + number + "/"

	keys := readKeys(src)
	cpBytes, err := src.get(prefix + "checkpoint")
	if err != nil {
		fatal("checkpoint: %v", err)
	}
	cur, err := openCheckpoint(cpBytes, keys[:1])
	if err != nil {
		fatal("checkpoint: not signed by the current key: %v", err)
	}
	ok("checkpoint: signed by %s; origin %s, size %d, root %s", cur.signer, cur.origin, cur.tree.N, cur.tree.Hash)
	if !strings.HasSuffix(cur.origin, "/log/"+number) {
		fail("checkpoint: origin %q does not end in /log/%s", cur.origin, number)
	}

	tr := &tileReader{src: src, prefix: prefix + "tile/"}
	hr := tlog.TileHashReader(cur.tree, tr)
	root, err := tlog.TreeHash(cur.tree.N, hr)
	if err != nil {
		fatal("tiles: %v", err)
	}
	if root != cur.tree.Hash {
		fatal("tiles: root %s, not the checkpoint's %s", root, cur.tree.Hash)
	}
	ok("tiles: Go's TileHashReader gives the checkpoint's root from %d tile(s)", tr.tiles)

	// Every tile, checked here too: Go's tileHashReader (x/mod 0.7.0 as
	// at its latest) authenticates a child tile against its parent only
	// from position len(stx) of its list of tiles, but that list holds
	// the subtree tiles deduplicated, so a child tile placed before that
	// position is returned unchecked (a changed level 0 tile passed it in
	// our test).  So: every level 0 tile's hashes make the tree (Go's
	// StoredHashesForRecordHash), whose root (TreeHash) must be the
	// checkpoint's, and every hash of every higher tile must be that
	// tree's hash at its place.
	var stored []tlog.Hash
	mem := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			if x < 0 || x >= int64(len(stored)) {
				return nil, fmt.Errorf("hash %d not in the tree", x)
			}
			out[i] = stored[x]
		}
		return out, nil
	})
	tiles := 0
	for level := 0; cur.tree.N>>(uint(level)*height) > 0; level++ {
		have := cur.tree.N >> (uint(level) * height)
		for start := int64(0); start < have; start += 1 << height {
			w := have - start
			if w > 1<<height {
				w = 1 << height
			}
			t := tlog.Tile{H: height, L: level, N: start >> height, W: int(w)}
			data, err := tr.ReadTiles([]tlog.Tile{t})
			if err != nil {
				fatal("tiles: %v", err)
			}
			tiles++
			for i := 0; i < t.W; i++ {
				var h tlog.Hash
				copy(h[:], data[0][i*tlog.HashSize:])
				if level == 0 {
					hs, err := tlog.StoredHashesForRecordHash(start+int64(i), h, mem)
					if err != nil {
						fatal("tiles: %v", err)
					}
					stored = append(stored, hs...)
				} else if h != stored[tlog.StoredHashIndex(level*height, start+int64(i))] {
					fail("tiles: hash %d of tile %s is not the tree's", i, tilePath(t))
				}
			}
		}
		if level == 0 {
			if root, err := tlog.TreeHash(cur.tree.N, mem); err != nil || root != cur.tree.Hash {
				fatal("tiles: the level 0 tiles make the root %s, not the checkpoint's %s (%v)", root, cur.tree.Hash, err)
			}
		}
	}
	ok("tiles: all %d tile(s) hold the hashes of the checkpoint's tree", tiles)

	// Every entry, bundle by bundle, against the level 0 hashes.
	entries := make([][]byte, 0, cur.tree.N)
	var sigs, voids, imported int64
	bundles := 0
	for start := int64(0); start < cur.tree.N; start += 1 << height {
		w := int(cur.tree.N - start)
		if w > 1<<height {
			w = 1 << height
		}
		path := bundlePath(start>>height, w)
		b, err := src.get(prefix + "tile/" + path)
		if err != nil {
			fatal("entries: %v", err)
		}
		bundles++
		var got [][]byte
		for len(b) > 0 {
			if len(b) < 2 || len(b) < 2+int(binary.BigEndian.Uint16(b)) {
				fatal("entries: %s: a length past the end", path)
			}
			l := int(binary.BigEndian.Uint16(b))
			got = append(got, b[2:2+l])
			b = b[2+l:]
		}
		if len(got) != w {
			fatal("entries: %s holds %d entries, not %d", path, len(got), w)
		}
		hashes := make([]tlog.Hash, w)
		for i := range hashes {
			hashes[i] = stored[tlog.StoredHashIndex(0, start+int64(i))]
		}
		for i, e := range got {
			if tlog.RecordHash(e) != hashes[i] {
				fail("entries: entry %d (%q) is not the leaf the tiles hold", start+int64(i), e)
			}
			entries = append(entries, e)
			switch s := string(e); {
			case sigForm.MatchString(s):
				sigs++
			case voidForm.MatchString(s):
				m := voidForm.FindStringSubmatch(s)
				if v, _ := strconv.ParseInt(m[1], 10, 64); v >= start+int64(i) ||
					!strings.HasPrefix(string(entries[v]), "sig ") {
					fail("entries: entry %d voids %d, which is not an earlier sig", start+int64(i), v)
				}
				voids++
			case importForm.MatchString(s):
				n, err := strconv.ParseInt(importForm.FindStringSubmatch(s)[2], 10, 64)
				if err != nil {
					fail("entries: entry %d: %q", start+int64(i), s)
				}
				imported += n
			default:
				fail("entries: entry %d has no known form: %q", start+int64(i), s)
			}
		}
	}
	count := imported + sigs - voids
	ok("entries: %d entries in %d bundle(s), each the leaf of its tile: %d sig, %d void, %d imported; count %d",
		len(entries), bundles, sigs, voids, imported, count)
	if *wantCount >= 0 && count != *wantCount {
		fail("entries: the log attests %d signatures, not %d", count, *wantCount)
	}

	if *receiptFile != "" {
		checkReceipt(*receiptFile, keys, cur, entries, mem)
	}
	if *sinceFile != "" {
		b, err := os.ReadFile(*sinceFile)
		if err != nil {
			fatal("since: %v", err)
		}
		old, err := openCheckpoint(b, keys)
		if err != nil {
			fail("since: %v", err)
		} else if old.origin != cur.origin {
			fail("since: origin %q, not %q", old.origin, cur.origin)
		} else {
			ok("since: signed by %s; size %d, root %s", old.signer, old.tree.N, old.tree.Hash)
			consistent("since", old.tree, cur.tree, mem)
			if *treeProofFile != "" {
				checkTreeProof(*treeProofFile, old.tree, cur.tree)
			}
		}
	}
	fmt.Printf("%d read(s), %d bytes\n", src.reads, src.bytes)
	if failures > 0 {
		fmt.Printf("%d check(s) failed\n", failures)
		os.Exit(1)
	}
	fmt.Println("all checks hold")
}

func checkReceipt(file string, keys []note.Verifier, cur checkpoint, entries [][]byte, hr tlog.HashReader) {
	b, err := os.ReadFile(file)
	if err != nil {
		fatal("receipt: %v", err)
	}
	r, err := parseReceipt(b)
	if err != nil {
		fail("receipt: %v", err)
		return
	}
	rc, err := openCheckpoint(r.cp, keys)
	if err != nil {
		fail("receipt: its checkpoint: %v", err)
		return
	}
	if rc.origin != cur.origin {
		fail("receipt: origin %q, not %q", rc.origin, cur.origin)
		return
	}
	if r.index >= rc.tree.N || r.index >= int64(len(entries)) {
		fail("receipt: index %d is beyond its tree (%d) or the log (%d)", r.index, rc.tree.N, len(entries))
		return
	}
	entry := entries[r.index]
	m := sigForm.FindStringSubmatch(string(entry))
	sum := sha256.Sum256(r.extra)
	if m == nil || r.extra == nil || m[3] != hex.EncodeToString(sum[:]) {
		fail("receipt: entry %d (%q) is not a sig whose commitment is the SHA-256 of the receipt's nonce", r.index, entry)
		return
	}
	if err := tlog.CheckRecord(r.proof, rc.tree.N, rc.tree.Hash, r.index, tlog.RecordHash(entry)); err != nil {
		fail("receipt: inclusion of entry %d in tree %d: %v", r.index, rc.tree.N, err)
		return
	}
	ok("receipt: entry %d (%s) is in tree %d signed by %s (inclusion proof of %d hashes); its commitment is the nonce's",
		r.index, entry, rc.tree.N, rc.signer, len(r.proof))
	consistent("receipt", rc.tree, cur.tree, hr)
}

func checkTreeProof(file string, old, cur tlog.Tree) {
	b, err := os.ReadFile(file)
	if err != nil {
		fatal("tree-proof: %v", err)
	}
	var p tlog.TreeProof
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if l == "" {
			continue
		}
		h, err := tlog.ParseHash(l)
		if err != nil {
			fail("tree-proof: %q", l)
			return
		}
		p = append(p, h)
	}
	if err := tlog.CheckTree(p, cur.N, cur.Hash, old.N, old.Hash); err != nil {
		fail("tree-proof: petitiond's proof from %d to %d: %v", old.N, cur.N, err)
		return
	}
	ok("tree-proof: petitiond's consistency proof from %d to %d (%d hashes) holds", old.N, cur.N, len(p))
}
