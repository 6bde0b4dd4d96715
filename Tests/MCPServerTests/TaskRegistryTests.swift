import BackendCore
import Foundation
import Testing

@testable import MCPServer

/// The task store behind both eras' tasks: lifetimes, the terminal states, and each era's field names.
@Suite struct TaskRegistryTests {
    /// (requested ttl, granted ttl): at least a second, at most an hour, an hour when not asked.
    @Test(arguments: [(nil, 3_600_000), (500, 1_000), (60_000, 60_000), (1_000_000_000, 3_600_000)] as [(Int?, Int)])
    func grantsABoundedLifetime(requested: Int?, granted: Int) throws {
        let entry = try TaskRegistry().create(requestedTTLMs: requested)
        #expect(entry.ttlMs == granted)
    }

    @Test func idsAre128RandomBitsAndUnique() throws {
        let registry = TaskRegistry()
        let ids = try (0..<20).map { _ in try registry.create(requestedTTLMs: nil).id }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test func aTerminalTaskNeverMovesAgain() throws {
        let registry = TaskRegistry()
        let id = try registry.create(requestedTTLMs: nil).id
        registry.transition(id, to: .cancelled) { $0.message = "cancelled by tasks/cancel" }
        registry.transition(id, to: .completed) { $0.result = JSONObject(["isError": .bool(false)]) }
        try registry.with(id) { entry in
            #expect(entry.status == .cancelled)
            #expect(entry.result == nil)
        }
    }

    /// (modern, status, the keys the task object carries)
    @Test(
        arguments: [
            (
                false, TaskRegistry.Status.working,
                ["createdAt", "lastUpdatedAt", "pollInterval", "status", "taskId", "ttl"]
            ),
            (true, .working, ["createdAt", "lastUpdatedAt", "pollIntervalMs", "status", "taskId", "ttlMs"]),
            (true, .completed, ["createdAt", "lastUpdatedAt", "result", "status", "taskId", "ttlMs"]),
        ] as [(Bool, TaskRegistry.Status, [String])])
    func describesATaskAsEachEraNamesIt(modern: Bool, status: TaskRegistry.Status, keys: [String]) throws {
        let registry = TaskRegistry()
        let id = try registry.create(requestedTTLMs: nil).id
        if status != .working { registry.transition(id, to: status) { $0.result = JSONObject() } }
        let task = try registry.with(id) {
            modern ? TaskRegistry.detailed($0) : TaskRegistry.describe($0, modern: false)
        }
        #expect(task.members.map(\.key).sorted() == keys)
    }

    @Test func anUnknownTaskIsInvalidParams() {
        let error = #expect(throws: JSONRPCError.self) { try TaskRegistry().with("nope") { _ in () } }
        #expect(error?.code == -32602)
    }

    @Test func theNumberOfTasksIsBounded() throws {
        let registry = TaskRegistry()
        for _ in 0..<TaskRegistry.maxTasks { _ = try registry.create(requestedTTLMs: nil) }
        let error = #expect(throws: JSONRPCError.self) { try registry.create(requestedTTLMs: nil) }
        #expect(error?.message.contains("\(TaskRegistry.maxTasks) tasks") == true)
    }

    @Test func aWaiterWakesWhenTheTaskEnds() async throws {
        let registry = TaskRegistry()
        let id = try registry.create(requestedTTLMs: nil).id
        async let waited: Void = registry.waitUntilTerminal(id)
        try await Task.sleep(for: .milliseconds(50))
        registry.transition(id, to: .completed)
        await waited
        #expect(try registry.with(id) { $0.status } == .completed)
    }
}
