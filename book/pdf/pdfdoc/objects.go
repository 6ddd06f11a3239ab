package pdfdoc

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"math"
	"runtime"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/bindery-books/bindery/book/internal/scratch"
)

// zlibLevel is the compression level of every stream but the object
// streams (which are compressed at zlib.BestSpeed): fixed, so identical
// input gives identical bytes.
const zlibLevel = 6

// ref is an indirect object number.
type ref int

// objects writes numbered objects to the output as they are finished,
// remembers where each one starts for the cross-reference table, and
// hashes everything it writes for the file identifier.
type objects struct {
	out     *bufio.Writer
	sum     hash.Hash
	pos     int64
	offsets []int64 // offsets[n] is where object n starts; 0 if not yet written
	err     error
	// queue holds the objects finished but not yet written, in order:
	// streams are compressed on other cores while the document goes on,
	// and written, in order, once they are (see enqueue). work bounds the
	// compressions under way.
	queue []*queued
	work  chan struct{}
	// Small objects written many at a time (the structure tree's) go
	// into object streams, compressed: inStream[n] is the stream that
	// holds object n (0 if none), at index[n]; pack is the stream being
	// filled.
	inStream []ref
	index    []int
	pack     struct {
		objs []ref
		head []byte // "n offset" pairs
		body []byte
	}
}

// packSize is how many objects an object stream holds.
const packSize = 200

func newObjects(w io.Writer) *objects {
	o := &objects{out: bufio.NewWriterSize(w, 64<<10), sum: sha256.New(), offsets: []int64{0},
		work: make(chan struct{}, runtime.GOMAXPROCS(0))}
	// The binary comment marks the file as binary for transfer programs.
	o.write([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"))
	return o
}

func (o *objects) write(b []byte) {
	if o.err != nil {
		return
	}
	n, err := o.out.Write(b)
	o.sum.Write(b[:n])
	o.pos += int64(n)
	o.err = err
}

// reserve returns a fresh object number, to be written later.
func (o *objects) reserve() ref {
	o.offsets = append(o.offsets, 0)
	return ref(len(o.offsets) - 1)
}

// packed writes object r, which is not a stream, into an object stream:
// compressed with the objects around it, for the many small objects of a
// structure tree. The file then ends with a cross-reference stream.
func (o *objects) packed(r ref, body []byte) {
	for len(o.inStream) < len(o.offsets) {
		o.inStream = append(o.inStream, 0)
		o.index = append(o.index, 0)
	}
	if o.offsets[r] != 0 || o.inStream[r] != 0 {
		panic(fmt.Sprintf("pdfdoc: object %d written twice", r))
	}
	p := &o.pack
	o.inStream[r] = -1 // until the stream has its number
	o.index[r] = len(p.objs)
	p.objs = append(p.objs, r)
	if len(p.head) > 0 {
		p.head = append(p.head, ' ')
	}
	p.head = strconv.AppendInt(p.head, int64(r), 10)
	p.head = append(p.head, ' ')
	p.head = strconv.AppendInt(p.head, int64(len(p.body)), 10)
	p.body = append(p.body, body...)
	p.body = append(p.body, '\n')
	if len(p.objs) == packSize {
		o.flushPack()
	}
}

// flushPack writes the object stream being filled.
func (o *objects) flushPack() {
	p := &o.pack
	if len(p.objs) == 0 {
		return
	}
	r := o.reserve()
	for _, n := range p.objs {
		o.inStream[n] = r
	}
	data := append(append(p.head, '\n'), p.body...)
	dict := fmt.Appendf(nil, " /Type /ObjStm /N %d /First %d", len(p.objs), len(p.head)+1)
	// Object streams (the structure tree, about 1 MB of dictionaries for
	// a 500-page book) are compressed at the fastest level: on the golang
	// corpus section 7 ms of CPU rather than 42 at zlibLevel, when all of
	// tagging costs about 50, for 34 KB more in a 1.8 MB file.
	o.compressed(r, dict, data, zlib.BestSpeed)
	p.objs, p.head, p.body = p.objs[:0], nil, p.body[:0]
}

// queued is an object on its way to the output: its bytes, from
// "n 0 obj" to "endobj", once done is closed.
type queued struct {
	r    ref
	data []byte
	done chan struct{}
}

// ready is the done of an object that needs no more work.
var ready = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// maxQueued is how many objects may wait in the queue before enqueue
// waits for the first: the compressions under way, and what the document
// wrote meanwhile.
const maxQueued = 64

// enqueue adds q to the objects to write, and writes those at the head of
// the queue that are done.
func (o *objects) enqueue(q *queued) {
	o.queue = append(o.queue, q)
	o.flushQueue(false)
}

// drain writes every queued object, waiting for their compression.
func (o *objects) drain() { o.flushQueue(true) }

// flushQueue writes the objects at the head of the queue that are done;
// it waits for them when wait is set or the queue is full.
func (o *objects) flushQueue(wait bool) {
	for len(o.queue) > 0 {
		head := o.queue[0]
		if !wait && len(o.queue) < maxQueued {
			select {
			case <-head.done:
			default:
				return
			}
		}
		<-head.done
		o.queue[0] = nil
		o.queue = o.queue[1:]
		if o.offsets[head.r] != 0 {
			panic(fmt.Sprintf("pdfdoc: object %d written twice", head.r))
		}
		o.offsets[head.r] = o.pos
		o.write(head.data)
	}
}

// object writes object r with body as its value.
func (o *objects) object(r ref, body []byte) {
	var b []byte
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, " 0 obj\n"...)
	b = append(b, body...)
	b = append(b, "\nendobj\n"...)
	o.enqueue(&queued{r: r, data: b, done: ready})
}

// stream writes object r as a stream with the dictionary entries dict
// (without the enclosing << >> and without /Length and /Filter) and data,
// compressed unless raw holds an already encoded stream (its filter is
// then in dict).
func (o *objects) stream(r ref, dict []byte, data []byte, compress bool) {
	level := noCompression
	if compress {
		level = zlibLevel
	}
	o.compressed(r, dict, data, level)
}

// noCompression is the level of a stream written as it is.
const noCompression = -100

// compressed writes object r as a stream like stream, its data
// compressed at level (zlib's) unless level is noCompression. The
// compression runs on another core while the caller goes on; dict and
// data may be reused once it returns.
func (o *objects) compressed(r ref, dict []byte, data []byte, level int) {
	q := &queued{r: r, done: make(chan struct{})}
	dict, data = bytes.Clone(dict), append(copies.Take(len(data)), data...)
	o.work <- struct{}{}
	go func() {
		defer func() { <-o.work; close(q.done) }()
		q.data = streamObject(r, dict, data, level)
		copies.Give(data) // streamObject has copied it
	}()
	o.enqueue(q)
}

// copies keeps the buffers compressed copies streams into, for the streams
// after them: a page's content is copied when the page is closed.
var copies = scratch.New[byte](2)

// streamObject returns stream object r, from "r 0 obj" to "endobj".
func streamObject(r ref, dict, data []byte, level int) []byte {
	if level != noCompression {
		var buf bytes.Buffer
		buf.Grow(len(data)/3 + 64) // a page's content deflates to a fifth or so
		zw := zlibWriters[level].Take()
		zw.Reset(&buf)
		zw.Write(data) // a bytes.Buffer takes all
		zw.Close()
		zlibWriters[level].Give(zw)
		data = buf.Bytes()
		dict = append(dict, " /Filter /FlateDecode"...)
	}
	b := make([]byte, 0, len(dict)+len(data)+64)
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, " 0 obj\n<<"...)
	b = append(b, dict...)
	b = append(b, " /Length "...)
	b = strconv.AppendInt(b, int64(len(data)), 10)
	b = append(b, ">>\nstream\n"...)
	b = append(b, data...)
	return append(b, "\nendstream\nendobj\n"...)
}

// zlibWriters keeps compressors for reuse for each level used, as many as
// compress at once.
var zlibWriters = map[int]*scratch.Values[*zlib.Writer]{
	zlibLevel:      newZlibWriters(zlibLevel),
	zlib.BestSpeed: newZlibWriters(zlib.BestSpeed),
}

func newZlibWriters(level int) *scratch.Values[*zlib.Writer] {
	return scratch.NewValues(1, func() *zlib.Writer {
		zw, _ := zlib.NewWriterLevel(nil, level) // the levels are valid
		return zw
	})
}

// finish writes the cross-reference table and the trailer. The file
// identifier is the first 16 bytes of the SHA-256 of everything before
// the table: the same content gives the same identifier, and different
// content a different one.
func (o *objects) finish(root, info ref) error {
	o.flushPack()
	o.drain()
	for len(o.inStream) > 0 && len(o.inStream) < len(o.offsets) {
		o.inStream = append(o.inStream, 0)
		o.index = append(o.index, 0)
	}
	for n, off := range o.offsets[1:] {
		if off == 0 && (len(o.inStream) == 0 || o.inStream[n+1] == 0) {
			return fmt.Errorf("pdfdoc: object %d reserved but never written", n+1)
		}
	}
	id := o.sum.Sum(nil)[:16]
	if len(o.inStream) > 0 {
		return o.finishStream(root, info, id)
	}
	xref := o.pos
	var b []byte
	b = append(b, "xref\n0 "...)
	b = strconv.AppendInt(b, int64(len(o.offsets)), 10)
	b = append(b, "\n0000000000 65535 f \n"...)
	for _, off := range o.offsets[1:] {
		b = fmt.Appendf(b, "%010d 00000 n \n", off)
	}
	b = append(b, "trailer\n<< /Size "...)
	b = strconv.AppendInt(b, int64(len(o.offsets)), 10)
	b = append(b, " /Root "...)
	b = appendRef(b, root)
	if info != 0 {
		b = append(b, " /Info "...)
		b = appendRef(b, info)
	}
	b = fmt.Appendf(b, " /ID [<%X> <%X>] >>\nstartxref\n%d\n%%%%EOF\n", id, id, xref)
	o.write(b)
	if o.err == nil {
		o.err = o.out.Flush()
	}
	return o.err
}

func appendRef(b []byte, r ref) []byte {
	b = strconv.AppendInt(b, int64(r), 10)
	return append(b, " 0 R"...)
}

// appendNum appends v rounded to prec decimals, without trailing zeros.
func appendNum(b []byte, v float64, prec int) []byte {
	p := math.Pow10(prec)
	v = math.Round(v*p) / p
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, '0')
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

// appendName appends a PDF name: /Name, with bytes outside the regular
// characters written as #xx.
func appendName(b []byte, s string) []byte {
	b = append(b, '/')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '!' || c > '~' || bytes.IndexByte([]byte("#()<>[]{}/%"), c) >= 0 {
			b = fmt.Appendf(b, "#%02X", c)
			continue
		}
		b = append(b, c)
	}
	return b
}

// appendText appends a text string (PDF 7.9.2.2): a literal string when s
// is printable ASCII, else UTF-16BE with a byte order mark, in hex.
func appendText(b []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			ascii = false
			break
		}
	}
	if ascii {
		return appendLiteral(b, s)
	}
	b = append(b, "<FEFF"...)
	for _, u := range utf16.Encode([]rune(s)) {
		b = fmt.Appendf(b, "%04X", u)
	}
	return append(b, '>')
}

// appendLiteral appends s as a literal string, escaping \, ( and ).
func appendLiteral(b []byte, s string) []byte {
	b = append(b, '(')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '(', ')':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		default:
			b = append(b, c)
		}
	}
	return append(b, ')')
}

// appendDate appends a date string: (D:20240131120000Z) for UTC,
// (D:20240131120000+01'00') with an offset.
func appendDate(b []byte, t time.Time) []byte {
	s := "D:" + t.Format("20060102150405")
	_, off := t.Zone()
	if off == 0 {
		s += "Z"
	} else {
		sign := '+'
		if off < 0 {
			sign, off = '-', -off
		}
		s += fmt.Sprintf("%c%02d'%02d'", sign, off/3600, off/60%60)
	}
	return appendLiteral(b, s)
}

// finishStream ends a file whose objects are partly in object streams
// with a cross-reference stream (PDF 7.5.8): one entry of 1+4+2 bytes per
// object, type 1 (offset) or type 2 (object stream and index).
func (o *objects) finishStream(root, info ref, id []byte) error {
	xr := o.reserve()
	o.inStream = append(o.inStream, 0)
	o.index = append(o.index, 0)
	o.offsets[xr] = o.pos
	var data []byte
	entry := func(typ byte, f2 int64, f3 int) {
		data = append(data, typ, byte(f2>>24), byte(f2>>16), byte(f2>>8), byte(f2), byte(f3>>8), byte(f3))
	}
	entry(0, 0, 65535)
	for n := 1; n < len(o.offsets); n++ {
		if s := o.inStream[n]; s != 0 {
			entry(2, int64(s), o.index[n])
			continue
		}
		entry(1, o.offsets[n], 0)
	}
	var dict []byte
	dict = fmt.Appendf(dict, " /Type /XRef /Size %d /W [1 4 2] /Root ", len(o.offsets))
	dict = appendRef(dict, root)
	if info != 0 {
		dict = append(dict, " /Info "...)
		dict = appendRef(dict, info)
	}
	dict = fmt.Appendf(dict, " /ID [<%X> <%X>]", id, id)
	start := o.pos
	o.offsets[xr] = 0 // stream sets it
	o.stream(xr, dict, data, true)
	o.drain()
	o.write(fmt.Appendf(nil, "startxref\n%d\n%%%%EOF\n", start))
	if o.err == nil {
		o.err = o.out.Flush()
	}
	return o.err
}
