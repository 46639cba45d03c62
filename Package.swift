// swift-tools-version:6.0
import PackageDescription

// Klaxon takes no package dependencies: everything below is the toolchain plus system C libraries.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Klaxon",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "klaxon", targets: ["klaxon"])
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        .target(name: "KlaxonRuntime", swiftSettings: strict),
        .target(name: "KlaxonHTTP", dependencies: ["KlaxonRuntime", "CEpoll"], swiftSettings: strict),
        .target(name: "KlaxonMetrics", dependencies: ["KlaxonRuntime", "CZlib"], swiftSettings: strict),
        .target(name: "KlaxonConfig", dependencies: ["KlaxonRuntime", "KlaxonMetrics"], swiftSettings: strict),
        .target(name: "KlaxonPromQL", dependencies: ["KlaxonMetrics"], swiftSettings: strict),
        .target(name: "KlaxonRules", dependencies: ["KlaxonPromQL", "KlaxonConfig", "KlaxonMetrics", "KlaxonRuntime"], swiftSettings: strict),
        .target(
            name: "KlaxonRouting", dependencies: ["KlaxonConfig", "KlaxonMetrics", "KlaxonRuntime"],
            swiftSettings: strict
        ),
        .target(
            name: "KlaxonIngest",
            dependencies: ["KlaxonMetrics", "KlaxonHTTP", "KlaxonConfig", "KlaxonRuntime"],
            swiftSettings: strict
        ),
        .target(
            name: "KlaxonServer",
            dependencies: [
                "KlaxonIngest", "KlaxonRules", "KlaxonRouting", "KlaxonPromQL", "KlaxonConfig", "KlaxonMetrics", "KlaxonHTTP",
                "KlaxonRuntime",
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "klaxon", dependencies: ["KlaxonServer", "KlaxonRuntime"], swiftSettings: strict),
        .target(
            name: "KlaxonTestSupport",
            dependencies: ["KlaxonRuntime", "KlaxonMetrics", "KlaxonHTTP"],
            swiftSettings: strict
        ),
        .testTarget(name: "KlaxonRuntimeTests", dependencies: ["KlaxonRuntime", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(name: "KlaxonHTTPTests", dependencies: ["KlaxonHTTP", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(name: "KlaxonMetricsTests", dependencies: ["KlaxonMetrics", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(name: "KlaxonConfigTests", dependencies: ["KlaxonConfig", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(name: "KlaxonPromQLTests", dependencies: ["KlaxonPromQL", "KlaxonMetrics", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(name: "KlaxonRulesTests", dependencies: ["KlaxonRules", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(name: "KlaxonRoutingTests", dependencies: ["KlaxonRouting", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "KlaxonServerTests", dependencies: ["KlaxonServer", "KlaxonRouting", "KlaxonTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "KlaxonIngestTests", dependencies: ["KlaxonIngest", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["KlaxonTestSupport", "KlaxonMetrics", "KlaxonHTTP"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
