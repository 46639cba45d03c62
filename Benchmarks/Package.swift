// swift-tools-version:6.0
import PackageDescription

// Benchmarks of Klaxon beside its peers. This is a package of its own so that it may depend on the peers
// (swift-prometheus) while the product package takes no dependencies. Klaxon's API is `package`-access,
// which is visible only inside one package, so the Klaxon modules are compiled here again from their own
// sources: each folder under Sources/ named Klaxon* (and CZlib, CSQLite, CLibPQ) is a symlink to ../../Sources/<same name>.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "KlaxonBenchmarks",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "render", targets: ["render"]),
        .executable(name: "ruleeval", targets: ["ruleeval"]),
        .executable(name: "storewrite", targets: ["storewrite"]),
        .executable(name: "memory", targets: ["memory"]),
        .executable(name: "regexbench", targets: ["regexbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1")
    ],
    targets: [
        // Klaxon's own modules, by symlink (see above); same names and dependencies as in ../Package.swift.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ"),
        .target(name: "KlaxonRegex", swiftSettings: strict),
        .target(name: "KlaxonRuntime", swiftSettings: strict),
        .target(
            name: "KlaxonMetrics", dependencies: ["KlaxonRegex", "KlaxonRuntime", "CZlib"], swiftSettings: strict),
        .target(
            name: "KlaxonConfig", dependencies: ["KlaxonRuntime", "KlaxonMetrics", "KlaxonTemplate"],
            swiftSettings: strict
        ),
        .target(
            name: "KlaxonPromQL", dependencies: ["KlaxonMetrics", "KlaxonRegex", "KlaxonRuntime"], swiftSettings: strict
        ),
        .target(name: "KlaxonTemplate", dependencies: ["KlaxonRegex", "KlaxonRuntime"], swiftSettings: strict),
        .target(
            name: "KlaxonRules",
            dependencies: ["KlaxonTemplate", "KlaxonPromQL", "KlaxonConfig", "KlaxonMetrics", "KlaxonRuntime"],
            swiftSettings: strict
        ),
        .target(
            name: "KlaxonRouting", dependencies: ["KlaxonConfig", "KlaxonMetrics", "KlaxonRuntime"],
            swiftSettings: strict
        ),
        .target(
            name: "KlaxonStore",
            dependencies: ["KlaxonRouting", "KlaxonConfig", "KlaxonMetrics", "KlaxonRuntime", "CSQLite", "CLibPQ"],
            swiftSettings: strict
        ),
        // The benchmarks.
        .target(name: "BenchSupport", swiftSettings: strict),
        .executableTarget(
            name: "render",
            dependencies: [
                "BenchSupport", "KlaxonMetrics",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ruleeval",
            dependencies: ["BenchSupport", "KlaxonMetrics", "KlaxonPromQL", "KlaxonRules", "KlaxonConfig"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "memory", dependencies: ["BenchSupport", "KlaxonMetrics"], swiftSettings: strict
        ),
        .executableTarget(
            name: "regexbench", dependencies: ["BenchSupport", "KlaxonRegex"], swiftSettings: strict),
        .executableTarget(
            name: "storewrite",
            dependencies: ["BenchSupport", "KlaxonStore", "KlaxonRouting", "KlaxonMetrics", "KlaxonRuntime"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
