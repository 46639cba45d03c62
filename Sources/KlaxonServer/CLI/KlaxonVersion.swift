/// What `klaxon version` reports about this build.
package enum KlaxonVersion {
    /// Klaxon's own version.
    package static let version = "0.1.0-dev"

    /// The Swift compiler release this binary was built with (the newest one this file knows).
    package static var swiftCompiler: String {
        #if compiler(>=6.4)
            "6.4 or later"
        #elseif compiler(>=6.3)
            "6.3"
        #elseif compiler(>=6.2)
            "6.2"
        #elseif compiler(>=6.1)
            "6.1"
        #else
            "6.0"
        #endif
    }

    /// Operating system and CPU architecture the binary was built for.
    package static var platform: String {
        #if os(Linux)
            let system = "linux"
        #elseif os(macOS)
            let system = "macos"
        #else
            let system = "unknown-os"
        #endif
        #if arch(x86_64)
            return "\(system)/x86_64"
        #elseif arch(arm64)
            return "\(system)/arm64"
        #else
            return "\(system)/unknown-arch"
        #endif
    }

    /// The lines `klaxon version` prints.
    package static var report: String {
        """
        klaxon \(version)
        swift compiler: \(swiftCompiler)
        platform: \(platform)
        """
    }
}
