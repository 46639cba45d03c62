/// Go 1.19's `sort.Sort` (pattern-defeating quicksort), which Prometheus 2.42 uses for `sort`, `sort_desc` and
/// the results of `topk`/`bottomk`. It is not stable, so which of equal values comes first is decided by its
/// exact steps: insertion sort up to 12 elements, then pivots by median of three or Tukey's ninther,
/// partitions, and heapsort when too many pivots were bad. Ported step for step (the `less(a, b)` here is
/// Go's `Less(i, j)` on the elements at i and j).
enum GoSort {
    static func sort<T>(_ data: inout [T], by less: (T, T) -> Bool) {
        let n = data.count
        guard n > 1 else { return }
        let limit = Int.bitWidth - n.leadingZeroBitCount
        data = withoutActuallyEscaping(less) { less in
            var sorter = Sorter(data: data, less: less)
            sorter.pdqsort(0, n, limit)
            return sorter.data
        }
    }

    private enum Hint { case unknown, increasing, decreasing }

    private struct Sorter<T> {
        var data: [T]
        let less: (T, T) -> Bool

        func lessAt(_ i: Int, _ j: Int) -> Bool { less(data[i], data[j]) }

        mutating func insertionSort(_ a: Int, _ b: Int) {
            var i = a + 1
            while i < b {
                var j = i
                while j > a && lessAt(j, j - 1) {
                    data.swapAt(j, j - 1)
                    j -= 1
                }
                i += 1
            }
        }

        mutating func siftDown(_ lo: Int, _ hi: Int, _ first: Int) {
            var root = lo
            while true {
                var child = 2 * root + 1
                if child >= hi { return }
                if child + 1 < hi && lessAt(first + child, first + child + 1) { child += 1 }
                if !lessAt(first + root, first + child) { return }
                data.swapAt(first + root, first + child)
                root = child
            }
        }

        mutating func heapSort(_ a: Int, _ b: Int) {
            let first = a
            let hi = b - a
            var i = (hi - 1) / 2
            while i >= 0 {
                siftDown(i, hi, first)
                i -= 1
            }
            i = hi - 1
            while i >= 0 {
                data.swapAt(first, first + i)
                siftDown(0, i, first)
                i -= 1
            }
        }

        mutating func pdqsort(_ start: Int, _ end: Int, _ initialLimit: Int) {
            var (a, b, limit) = (start, end, initialLimit)
            var wasBalanced = true
            var wasPartitioned = true
            while true {
                let length = b - a
                if length <= 12 {
                    insertionSort(a, b)
                    return
                }
                if limit == 0 {
                    heapSort(a, b)
                    return
                }
                if !wasBalanced {
                    breakPatterns(a, b)
                    limit -= 1
                }
                var (pivot, hint) = choosePivot(a, b)
                if hint == .decreasing {
                    reverseRange(a, b)
                    pivot = (b - 1) - (pivot - a)
                    hint = .increasing
                }
                if wasBalanced && wasPartitioned && hint == .increasing && partialInsertionSort(a, b) { return }
                if a > 0 && !lessAt(a - 1, pivot) {
                    a = partitionEqual(a, b, pivot)
                    continue
                }
                let (mid, alreadyPartitioned) = partition(a, b, pivot)
                wasPartitioned = alreadyPartitioned
                let (leftLength, rightLength) = (mid - a, b - mid)
                let balanceThreshold = length / 8
                if leftLength < rightLength {
                    wasBalanced = leftLength >= balanceThreshold
                    pdqsort(a, mid, limit)
                    a = mid + 1
                } else {
                    wasBalanced = rightLength >= balanceThreshold
                    pdqsort(mid + 1, b, limit)
                    b = mid
                }
            }
        }

        mutating func partition(_ a: Int, _ b: Int, _ pivot: Int) -> (Int, Bool) {
            data.swapAt(a, pivot)
            var (i, j) = (a + 1, b - 1)
            while i <= j && lessAt(i, a) { i += 1 }
            while i <= j && !lessAt(j, a) { j -= 1 }
            if i > j {
                data.swapAt(j, a)
                return (j, true)
            }
            data.swapAt(i, j)
            i += 1
            j -= 1
            while true {
                while i <= j && lessAt(i, a) { i += 1 }
                while i <= j && !lessAt(j, a) { j -= 1 }
                if i > j { break }
                data.swapAt(i, j)
                i += 1
                j -= 1
            }
            data.swapAt(j, a)
            return (j, false)
        }

        mutating func partitionEqual(_ a: Int, _ b: Int, _ pivot: Int) -> Int {
            data.swapAt(a, pivot)
            var (i, j) = (a + 1, b - 1)
            while true {
                while i <= j && !lessAt(a, i) { i += 1 }
                while i <= j && lessAt(a, j) { j -= 1 }
                if i > j { break }
                data.swapAt(i, j)
                i += 1
                j -= 1
            }
            return i
        }

        mutating func partialInsertionSort(_ a: Int, _ b: Int) -> Bool {
            let maxSteps = 5
            let shortestShifting = 50
            var i = a + 1
            for _ in 0..<maxSteps {
                while i < b && !lessAt(i, i - 1) { i += 1 }
                if i == b { return true }
                if b - a < shortestShifting { return false }
                data.swapAt(i, i - 1)
                if i - a >= 2 {
                    var j = i - 1
                    while j >= 1 {
                        if !lessAt(j, j - 1) { break }
                        data.swapAt(j, j - 1)
                        j -= 1
                    }
                }
                if b - i >= 2 {
                    var j = i + 1
                    while j < b {
                        if !lessAt(j, j - 1) { break }
                        data.swapAt(j, j - 1)
                        j += 1
                    }
                }
            }
            return false
        }

        mutating func breakPatterns(_ a: Int, _ b: Int) {
            let length = b - a
            guard length >= 8 else { return }
            // Go 1.19's xorshift, seeded with the length.
            var random = UInt64(length)
            let modulus = UInt(1) << UInt(Int.bitWidth - length.leadingZeroBitCount)
            var index = a + (length / 4) * 2 - 1
            while index <= a + (length / 4) * 2 + 1 {
                random ^= random << 13
                random ^= random >> 17
                random ^= random << 5
                var other = Int(UInt(truncatingIfNeeded: random) & (modulus - 1))
                if other >= length { other -= length }
                data.swapAt(index, a + other)
                index += 1
            }
        }

        func choosePivot(_ a: Int, _ b: Int) -> (Int, Hint) {
            let length = b - a
            var swaps = 0
            var i = a + length / 4 * 1
            var j = a + length / 4 * 2
            var k = a + length / 4 * 3
            if length >= 8 {
                if length >= 50 {
                    i = median(i - 1, i, i + 1, &swaps)
                    j = median(j - 1, j, j + 1, &swaps)
                    k = median(k - 1, k, k + 1, &swaps)
                }
                j = median(i, j, k, &swaps)
            }
            switch swaps {
            case 0: return (j, .increasing)
            case 12: return (j, .decreasing)
            default: return (j, .unknown)
            }
        }

        func order2(_ a: Int, _ b: Int, _ swaps: inout Int) -> (Int, Int) {
            if lessAt(b, a) {
                swaps += 1
                return (b, a)
            }
            return (a, b)
        }

        func median(_ a0: Int, _ b0: Int, _ c0: Int, _ swaps: inout Int) -> Int {
            var (a, b) = order2(a0, b0, &swaps)
            (b, _) = order2(b, c0, &swaps)
            (a, b) = order2(a, b, &swaps)
            return b
        }

        mutating func reverseRange(_ a: Int, _ b: Int) {
            var (i, j) = (a, b - 1)
            while i < j {
                data.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
    }
}
