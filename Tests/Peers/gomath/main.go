// gomath answers with Go's own math and sort what Prometheus 2.42 (built with Go 1.19) computes, so tests can
// compare Klaxon's ports bit for bit. It reads one case per line on standard input and writes one answer
// per line; floats travel as the 16 hex digits of their IEEE 754 bits.
//
//	FUNCTION X (exp, log, log2, log10, log1p, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh,
//	acosh, atanh) | pow X Y | atan2 Y X                 -> bits of the result
//	sort asc|desc V,V,...                               -> indices in Prometheus's sort()/sort_desc() order
//	topk|bottomk K V,V,...                              -> indices kept, in the order Prometheus returns them
package main

import (
	"bufio"
	"container/heap"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

type sample struct {
	v float64
	i int
}

// The value heaps of Prometheus 2.42's promql package: NaN is below everything.
type valueHeap []sample

func (s valueHeap) Len() int      { return len(s) }
func (s valueHeap) Swap(i, j int) { s[i], s[j] = s[j], s[i] }
func (s valueHeap) Less(i, j int) bool {
	if math.IsNaN(s[i].v) {
		return true
	}
	return s[i].v < s[j].v
}
func (s *valueHeap) Push(x interface{}) { *s = append(*s, x.(sample)) }
func (s *valueHeap) Pop() interface{} {
	old := *s
	el := old[len(old)-1]
	*s = old[:len(old)-1]
	return el
}

type reverseHeap []sample

func (s reverseHeap) Len() int      { return len(s) }
func (s reverseHeap) Swap(i, j int) { s[i], s[j] = s[j], s[i] }
func (s reverseHeap) Less(i, j int) bool {
	if math.IsNaN(s[i].v) {
		return true
	}
	return s[i].v > s[j].v
}
func (s *reverseHeap) Push(x interface{}) { *s = append(*s, x.(sample)) }
func (s *reverseHeap) Pop() interface{} {
	old := *s
	el := old[len(old)-1]
	*s = old[:len(old)-1]
	return el
}

func float(text string) float64 {
	bits, err := strconv.ParseUint(text, 16, 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad float bits:", text)
		os.Exit(2)
	}
	return math.Float64frombits(bits)
}

func samples(text string) []sample {
	var out []sample
	for i, word := range strings.Split(text, ",") {
		out = append(out, sample{float(word), i})
	}
	return out
}

func indices(s []sample) string {
	words := make([]string, len(s))
	for i, e := range s {
		words[i] = strconv.Itoa(e.i)
	}
	return strings.Join(words, ",")
}

// topk and bottomk as Prometheus 2.42's aggregation runs them over one group.
func selectK(all []sample, k int64, top bool) []sample {
	if top {
		h := valueHeap{all[0]}
		for _, s := range all[1:] {
			if int64(len(h)) < k || h[0].v < s.v || math.IsNaN(h[0].v) {
				if int64(len(h)) == k {
					if k == 1 {
						h[0] = s
						continue
					}
					heap.Pop(&h)
				}
				heap.Push(&h, s)
			}
		}
		if len(h) > 1 {
			sort.Sort(sort.Reverse(h))
		}
		return h
	}
	h := reverseHeap{all[0]}
	for _, s := range all[1:] {
		if int64(len(h)) < k || h[0].v > s.v || math.IsNaN(h[0].v) {
			if int64(len(h)) == k {
				if k == 1 {
					h[0] = s
					continue
				}
				heap.Pop(&h)
			}
			heap.Push(&h, s)
		}
	}
	if len(h) > 1 {
		sort.Sort(sort.Reverse(h))
	}
	return h
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		f := strings.Fields(in.Text())
		var answer string
		switch f[0] {
		case "exp":
			answer = fmt.Sprintf("%016x", math.Float64bits(math.Exp(float(f[1]))))
		case "log":
			answer = fmt.Sprintf("%016x", math.Float64bits(math.Log(float(f[1]))))
		case "log2":
			answer = fmt.Sprintf("%016x", math.Float64bits(math.Log2(float(f[1]))))
		case "log10":
			answer = fmt.Sprintf("%016x", math.Float64bits(math.Log10(float(f[1]))))
		case "log1p", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh":
			fn := map[string]func(float64) float64{
				"log1p": math.Log1p, "asin": math.Asin, "acos": math.Acos, "atan": math.Atan, "sinh": math.Sinh,
				"cosh": math.Cosh, "tanh": math.Tanh, "asinh": math.Asinh, "acosh": math.Acosh, "atanh": math.Atanh,
			}[f[0]]
			answer = fmt.Sprintf("%016x", math.Float64bits(fn(float(f[1]))))
		case "atan2":
			answer = fmt.Sprintf("%016x", math.Float64bits(math.Atan2(float(f[1]), float(f[2]))))
		case "sin":
			answer = fmt.Sprintf("%016x", math.Float64bits(math.Sin(float(f[1]))))
		case "cos":
			answer = fmt.Sprintf("%016x", math.Float64bits(math.Cos(float(f[1]))))
		case "tan":
			answer = fmt.Sprintf("%016x", math.Float64bits(math.Tan(float(f[1]))))
		case "pow":
			answer = fmt.Sprintf("%016x", math.Float64bits(math.Pow(float(f[1]), float(f[2]))))
		case "sort":
			s := samples(f[2])
			if f[1] == "asc" {
				sort.Sort(sort.Reverse(reverseHeap(s)))
			} else {
				sort.Sort(sort.Reverse(valueHeap(s)))
			}
			answer = indices(s)
		case "topk", "bottomk":
			k, _ := strconv.ParseInt(f[1], 10, 64)
			answer = indices(selectK(samples(f[2]), k, f[0] == "topk"))
		default:
			fmt.Fprintln(os.Stderr, "unknown case:", f[0])
			os.Exit(2)
		}
		fmt.Fprintln(out, answer)
	}
}
