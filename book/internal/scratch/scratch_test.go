package scratch

import "testing"

func TestSlices(t *testing.T) {
	s := New[byte](1)
	b := s.Take(10)
	if len(b) != 0 || cap(b) < 10 {
		t.Fatalf("Take(10): len %d, cap %d", len(b), cap(b))
	}
	b = append(b, "hello"...)
	s.Give(b)
	c := s.Take(5)
	if len(c) != 0 || cap(c) != cap(b) || &c[:1][0] != &b[0] {
		t.Error("Take after Give does not return the slice given")
	}
	s.Give(c)
	if d := s.Take(cap(c) + 1); cap(d) < cap(c)+1 {
		t.Errorf("Take(%d) returned capacity %d", cap(c)+1, cap(d))
	}
	s.Give(nil) // kept nothing, and no panic
	if e := s.Take(0); e == nil || len(e) != 0 {
		t.Errorf("Take(0) = %v", e)
	}
}

func TestValues(t *testing.T) {
	made := 0
	v := NewValues(1, func() *int { made++; return new(int) })
	a := v.Take()
	if made != 1 {
		t.Fatalf("Take with none kept made %d", made)
	}
	v.Give(a)
	if b := v.Take(); b != a || made != 1 {
		t.Error("Take after Give does not return the value given")
	}
}
