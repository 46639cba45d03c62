// swift-tools-version:6.0
import PackageDescription

// Klaxon takes no package dependencies: everything below is the toolchain plus system C libraries.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
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
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ"),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl"),
        .target(name: "KlaxonRegex", swiftSettings: strict),
        .target(name: "KlaxonRuntime", swiftSettings: strict),
        .target(name: "KlaxonHTTP", dependencies: ["KlaxonRuntime", "CEpoll"], swiftSettings: strict),
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
        .target(
            name: "KlaxonNotifiers",
            dependencies: [
                "KlaxonRouting", "KlaxonTemplate", "KlaxonConfig", "KlaxonMetrics", "KlaxonRuntime", "COpenSSL",
            ],
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
                "KlaxonIngest", "KlaxonNotifiers", "KlaxonStore", "KlaxonRouting", "KlaxonRules", "KlaxonPromQL",
                "KlaxonConfig", "KlaxonMetrics", "KlaxonHTTP", "KlaxonRuntime",
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "klaxon", dependencies: ["KlaxonServer", "KlaxonRuntime"], swiftSettings: strict),
        .target(
            name: "KlaxonTestSupport",
            dependencies: ["KlaxonRuntime", "KlaxonMetrics", "KlaxonHTTP", "KlaxonRouting"],
            swiftSettings: strict
        ),
        .testTarget(name: "KlaxonRegexTests", dependencies: ["KlaxonRegex", "KlaxonRuntime"], swiftSettings: strict),
        .testTarget(
            name: "KlaxonRuntimeTests", dependencies: ["KlaxonRuntime", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(name: "KlaxonHTTPTests", dependencies: ["KlaxonHTTP", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "KlaxonMetricsTests", dependencies: ["KlaxonMetrics", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "KlaxonConfigTests", dependencies: ["KlaxonConfig", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "KlaxonPromQLTests", dependencies: ["KlaxonPromQL", "KlaxonMetrics", "KlaxonTestSupport"],
            swiftSettings: strict),
        .testTarget(name: "KlaxonTemplateTests", dependencies: ["KlaxonTemplate"], swiftSettings: strict),
        .testTarget(
            name: "KlaxonRulesTests",
            dependencies: ["KlaxonRules", "KlaxonTemplate", "KlaxonTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KlaxonRoutingTests", dependencies: ["KlaxonRouting", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "KlaxonStoreTests", dependencies: ["KlaxonStore", "KlaxonRouting", "KlaxonTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KlaxonServerTests",
            dependencies: ["KlaxonServer", "KlaxonRouting", "KlaxonRules", "KlaxonTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KlaxonNotifiersTests", dependencies: ["KlaxonNotifiers", "KlaxonTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KlaxonIngestTests", dependencies: ["KlaxonIngest", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["KlaxonTestSupport", "KlaxonMetrics", "KlaxonHTTP"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
