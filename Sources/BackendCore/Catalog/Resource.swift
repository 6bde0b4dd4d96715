import Foundation

/// A read-only document the server publishes (MCP `resources/list`, `resources/read`).
public struct Resource: Sendable {
    public let uri: String
    public let name: String
    public let title: String
    public let description: String
    public let mimeType: String
    public let text: String

    public init(uri: String, name: String, title: String, description: String, mimeType: String, text: String) {
        self.uri = uri
        self.name = name
        self.title = title
        self.description = description
        self.mimeType = mimeType
        self.text = text
    }
}

/// A prompt template the server publishes (MCP `prompts/list`, `prompts/get`).
public struct Prompt: Sendable {
    public struct Argument: Sendable {
        public let name: String
        public let description: String
        public let required: Bool

        public init(name: String, description: String, required: Bool) {
            self.name = name
            self.description = description
            self.required = required
        }
    }

    public let name: String
    public let title: String
    public let description: String
    public let arguments: [Argument]
    private let template: String

    /// `template` holds `$ARGUMENTS`, the Claude Code placeholder, where the first argument goes.
    public init(name: String, title: String, description: String, arguments: [Argument], template: String) {
        self.name = name
        self.title = title
        self.description = description
        self.arguments = arguments
        self.template = template
    }

    /// The prompt text with the arguments filled in; a missing required argument is an input error.
    public func render(_ values: [String: String]) throws(BackendError) -> String {
        for argument in arguments where argument.required && (values[argument.name] ?? "").isEmpty {
            throw .invalidInput("prompt \(name) needs the argument `\(argument.name)`: \(argument.description)")
        }
        let first = arguments.first.flatMap { values[$0.name] } ?? ""
        return template.replacingOccurrences(of: "$ARGUMENTS", with: first)
    }
}

/// Everything the server publishes: tools, resources and prompts, in a fixed order.
public struct Catalog: Sendable {
    public let tools: [Tool]
    public let resources: [Resource]
    public let prompts: [Prompt]

    public init(tools: [Tool], resources: [Resource], prompts: [Prompt]) {
        self.tools = tools
        self.resources = resources
        self.prompts = prompts
    }

    public func tool(named name: String) -> Tool? { tools.first { $0.name == name } }
}
