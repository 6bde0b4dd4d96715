import BackendCore

/// One node of an `EXPLAIN (FORMAT JSON)` plan, with the fields the advice reads.
public struct PlanNode: Sendable {
    public let type: String
    public let relation: String?
    public let schema: String?
    public let alias: String?
    public let index: String?
    /// Inner, Left, Semi, Anti... on joins.
    public let joinType: String?
    /// The planner proved at most one inner row matches: the inner side stops at the first match.
    public let innerUnique: Bool
    /// Plain, Sorted, Hashed, Mixed on aggregates and set operations.
    public let strategy: String?
    public let totalCost: Double
    public let planRows: Double
    /// Per loop, as PostgreSQL prints them.
    public let actualRows: Double?
    public let actualLoops: Double?
    /// Per loop, in milliseconds.
    public let actualTotalTime: Double?
    public let filter: String?
    public let indexCondition: String?
    public let rowsRemovedByFilter: Double?
    public let joinCondition: String?
    public let sortKeys: [String]
    public let groupKeys: [String]
    public let sortSpaceType: String?
    public let hashBatches: Double?
    /// The columns or expressions the node returns (`EXPLAIN (VERBOSE)` only).
    public let output: [String]
    public let children: [PlanNode]

    init(_ json: JSONValue) {
        type = json["Node Type"]?.stringValue ?? "?"
        relation = json["Relation Name"]?.stringValue
        schema = json["Schema"]?.stringValue
        alias = json["Alias"]?.stringValue
        index = json["Index Name"]?.stringValue
        joinType = json["Join Type"]?.stringValue
        innerUnique = json["Inner Unique"]?.boolValue ?? false
        strategy = json["Strategy"]?.stringValue
        totalCost = json["Total Cost"]?.doubleValue ?? 0
        planRows = json["Plan Rows"]?.doubleValue ?? 0
        actualRows = json["Actual Rows"]?.doubleValue
        actualLoops = json["Actual Loops"]?.doubleValue
        actualTotalTime = json["Actual Total Time"]?.doubleValue
        filter = json["Filter"]?.stringValue
        indexCondition = (json["Index Cond"] ?? json["Recheck Cond"])?.stringValue
        rowsRemovedByFilter = json["Rows Removed by Filter"]?.doubleValue
        joinCondition = (json["Hash Cond"] ?? json["Merge Cond"] ?? json["Join Filter"])?.stringValue
        sortKeys = json["Sort Key"]?.arrayValue?.compactMap(\.stringValue) ?? []
        groupKeys = json["Group Key"]?.arrayValue?.compactMap(\.stringValue) ?? []
        sortSpaceType = json["Sort Space Type"]?.stringValue
        hashBatches = json["Hash Batches"]?.doubleValue
        output = json["Output"]?.arrayValue?.compactMap(\.stringValue) ?? []
        children = json["Plans"]?.arrayValue?.map(PlanNode.init) ?? []
    }

    /// This node and every node below it, depth first.
    public var all: [PlanNode] { [self] + children.flatMap(\.all) }

    /// The expressions this node evaluates or returns (`EXPLAIN (VERBOSE)` for the outputs).
    var expressions: [String] {
        output + sortKeys + groupKeys + [filter, indexCondition, joinCondition].compactMap { $0 }
    }

    /// A sequential scan, parallel or not.
    var isSequentialScan: Bool { type == "Seq Scan" || type == "Parallel Seq Scan" }

    /// Time spent in this node and below over all loops (per-loop time times loops), in milliseconds.
    var inclusiveMs: Double? { actualTotalTime.map { $0 * max(actualLoops ?? 1, 1) } }

    /// Nodes that read their whole input before returning a row: a LIMIT above them does not cut
    /// their input short.
    var consumesWholeInput: Bool {
        switch type {
        case "Sort", "Hash": true
        case "Aggregate", "SetOp": strategy != "Sorted"
        default: false
        }
    }

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
