import BackendCore

/// One node of an `EXPLAIN (FORMAT JSON)` plan, with the fields the advice reads.
public struct PlanNode: Sendable {
    public let type: String
    public let relation: String?
    public let schema: String?
    public let alias: String?
    public let totalCost: Double
    public let planRows: Double
    public let actualRows: Double?
    public let actualLoops: Double?
    public let filter: String?
    public let joinCondition: String?
    public let sortKeys: [String]
    public let sortSpaceType: String?
    public let hashBatches: Double?
    public let children: [PlanNode]

    init(_ json: JSONValue) {
        type = json["Node Type"]?.stringValue ?? "?"
        relation = json["Relation Name"]?.stringValue
        schema = json["Schema"]?.stringValue
        alias = json["Alias"]?.stringValue
        totalCost = json["Total Cost"]?.doubleValue ?? 0
        planRows = json["Plan Rows"]?.doubleValue ?? 0
        actualRows = json["Actual Rows"]?.doubleValue
        actualLoops = json["Actual Loops"]?.doubleValue
        filter = json["Filter"]?.stringValue
        joinCondition = (json["Hash Cond"] ?? json["Merge Cond"] ?? json["Join Filter"])?.stringValue
        sortKeys = json["Sort Key"]?.arrayValue?.compactMap(\.stringValue) ?? []
        sortSpaceType = json["Sort Space Type"]?.stringValue
        hashBatches = json["Hash Batches"]?.doubleValue
        children = json["Plans"]?.arrayValue?.map(PlanNode.init) ?? []
    }

    /// This node and every node below it, depth first.
    public var all: [PlanNode] { [self] + children.flatMap(\.all) }

    /// Parses the output of `EXPLAIN (FORMAT JSON)`: an array holding one object with a `Plan`.
    static func parse(_ text: String) throws(BackendError) -> (plan: PlanNode, root: JSONValue) {
        do {
            let document = try JSONParser.parse(text, maxDepth: 1024)
            guard let root = document.arrayValue?.first, let plan = root["Plan"] else {
                throw BackendError(.failed, "EXPLAIN returned no plan")
            }
            return (PlanNode(plan), root)
        } catch let error as BackendError {
            throw error
        } catch {
            throw BackendError(.failed, "EXPLAIN output is not JSON: \(error)")
        }
    }
}
