import Glibc

/// The process's limit on open file descriptors (`RLIMIT_NOFILE`), which bounds open connections.
package enum OpenFileLimit {
    /// Raises the soft limit to the hard limit, as Go's runtime does at start, and returns the soft
    /// limit now in effect; nil when it cannot be read.
    ///
    /// An idle connection costs one descriptor and little memory under epoll, so the default soft
    /// limit (often 1024) and not memory is what would refuse clients first.
    @discardableResult
    package static func raiseToHardLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur >= rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }
}
