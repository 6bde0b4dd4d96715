// swift-tools-version:6.1
// Reference MCP stdio server for bench/mcp --reference: modelcontextprotocol/swift-sdk 0.12.1's
// `Server` + `StdioTransport` with a `diagnostics` tool shaped like senior-backend's.
// Not part of senior-backend; build it with bench/reference/build.sh.
import PackageDescription

let package = Package(
    name: "swift-sdk-reference-server",
    platforms: [.macOS("13.0")],
    products: [
        .executable(name: "swift-sdk-reference-server", targets: ["swift-sdk-reference-server"])
    ],
    dependencies: [
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", exact: "0.12.1")
    ],
    targets: [
        .executableTarget(
            name: "swift-sdk-reference-server",
            dependencies: [.product(name: "MCP", package: "swift-sdk")]
        )
    ]
)
