import BackendCore
import GrillSession

/// `grill_next_question` with a client that can show forms: the open question goes to the person as a
/// form, the answer is recorded as an agent's answer would be, and the walk goes on until it ends in a
/// recommendation or a kill criterion. A declined form, or a client without forms, leaves today's result.
struct GrillInterview: Sendable {
    let engine: Lazy<GrillEngine>
    /// The tool's input schema: the form's fields are its properties, so both say the same.
    let inputSchema: JSONValue
    /// Bounds the walk: seven questions, each possibly asked again when an answer left a field open.
    static let maxForms = 21

    func run(_ request: GrillRequest, context: any ToolContext) async throws(BackendError) -> GrillResult {
        let engine = try engine.get()
        // On a 2026-07-28 retry the agent's own answers were recorded by the first round.
        var result =
            context.resumesElicitation
            ? try engine.handle(GrillRequest(session: request.session, action: .status)) : try engine.handle(request)
        guard request.action != .status else { return result }
        for _ in 0..<Self.maxForms {
            guard result.status == .asking, let question = result.question else { return result }
            let fields = result.missingFields
            guard
                let answer = await context.elicit(
                    "Grill session \(request.session), Q\(question.number) of 7 (\(question.topic)): \(question.text) Recommended: \(question.recommendedAnswer)",
                    schema: form(fields))
            else { return result }
            guard case .accepted(let content) = answer else { return result }
            var arguments = content
            arguments["session"] = .string(request.session)
            arguments["action"] = .string(GrillRequest.Action.answer.rawValue)
            let answered: GrillRequest
            do {
                answered = try JSONValue.object(arguments).decode(as: GrillRequest.self)
            } catch {
                throw .invalidInput("the form's answer to Q\(question.number) does not fit: \(Tool.explain(error))")
            }
            result = try engine.handle(answered)
        }
        return result
    }

    /// A flat form of the missing fields: the input schema's type, enum, bounds and description of each.
    func form(_ fields: [String]) -> JSONValue {
        var properties = JSONObject()
        for field in fields {
            guard let property = inputSchema["properties"]?[field]?.objectValue else { continue }
            var primitive = JSONObject(["title": .string(field)])
            for key in ["type", "enum", "description", "minimum", "maximum", "maxLength"] {
                if let value = property[key] { primitive[key] = value }
            }
            // Forms know only inclusive bounds; the engine still refuses an answer on the excluded edge.
            if primitive["minimum"] == nil, let bound = property["exclusiveMinimum"] { primitive["minimum"] = bound }
            if primitive["maximum"] == nil, let bound = property["exclusiveMaximum"] { primitive["maximum"] = bound }
            properties[field] = .object(primitive)
        }
        return .object(
            JSONObject([
                "type": .string("object"), "properties": .object(properties),
                "required": .array(fields.filter { properties[$0] != nil }.map(JSONValue.string)),
            ]))
    }
}
