/// The version reported by `--version` and in the MCP `serverInfo`.
public enum SeniorBackendVersion {
    public static let current = "0.1.0"
}
