import Foundation
import Testing
import Workflow
@testable import Execution

/// Oracle: ComfyUI 0.8.0's cache rules (compat doc §4.3): signature = class + constants + ancestry,
/// no node id; the classic cache keeps only what the current prompt uses.
@Suite struct ExecutorCacheTests {
    @Test func firstRunExecutesOnlyOutputsAndTheirAncestors() throws {
        let counter = RunCounter(), executor = Executor(registry: Stubs.registry)
        let s = try Stubs.run(executor, Stubs.diamond, counter: counter)
        #expect(counter.byNode == ["1": 1, "2": 1, "3": 1, "4": 1, "5": 1, "7": 1])
        #expect(Set(s.executed) == ["1", "2", "3", "4", "5", "7"])
        #expect(s.cached.isEmpty)
        #expect(counter.values == ["5": 50, "7": 3])
    }

    @Test func changingOneWidgetRerunsExactlyThatNodeAndItsDescendants() throws {
        let counter = RunCounter(), executor = Executor(registry: Stubs.registry)
        _ = try Stubs.run(executor, Stubs.diamond, counter: counter)
        let s = try Stubs.run(executor, Stubs.setting(Stubs.diamond, "1", "value", 5), counter: counter)
        #expect(counter.byNode == ["1": 2, "2": 1, "3": 2, "4": 2, "5": 2, "7": 1])
        #expect(s.executed == ["1", "3", "4", "5"])
        #expect(s.cached == ["2", "7"])
        #expect(counter.values["5"] == 80)
    }

    @Test func changingADownstreamWidgetKeepsUpstreamCached() throws {
        let counter = RunCounter(), executor = Executor(registry: Stubs.registry)
        _ = try Stubs.run(executor, Stubs.diamond, counter: counter)
        let s = try Stubs.run(executor, Stubs.setting(Stubs.diamond, "4", "factor", 2), counter: counter)
        #expect(s.executed == ["4", "5"])
        #expect(s.cached == ["1", "2", "3", "7"])
        #expect(counter.byNode == ["1": 1, "2": 1, "3": 1, "4": 2, "5": 2, "7": 1])
    }

    @Test func anIdenticalRunExecutesNothing() throws {
        let counter = RunCounter(), executor = Executor(registry: Stubs.registry)
        _ = try Stubs.run(executor, Stubs.diamond, counter: counter)
        let s = try Stubs.run(executor, Stubs.diamond, counter: counter)
        #expect(s.executed.isEmpty)
        #expect(s.cached == ["1", "2", "3", "4", "5", "7"])
        #expect(counter.byNode.values.allSatisfy { $0 == 1 })
    }

    @Test func nodeIDsTitlesAndIntegralFloatsAreNotPartOfTheSignature() throws {
        let counter = RunCounter(), executor = Executor(registry: Stubs.registry)
        let a = JSONObject([
            ("1", Stubs.node("Num", [("value", 2)])),
            ("2", Stubs.node("Show", [("x", Stubs.link("1"))])),
        ])
        // Same graph under other ids, with 2.0 for 2 and a _meta title.
        var renamed = Stubs.node("Num", [("value", 2.0)]).objectValue ?? JSONObject()
        renamed["_meta"] = ["title": "renamed"]
        let b = JSONObject([("70", .object(renamed)), ("80", Stubs.node("Show", [("x", Stubs.link("70"))]))])
        _ = try Stubs.run(executor, a, counter: counter)
        let s = try Stubs.run(executor, b, counter: counter)
        #expect(s.executed.isEmpty)
        #expect(s.cached == ["70", "80"])
    }

    @Test func aDifferentPromptInBetweenEvictsWhatItDoesNotShare() throws {
        let counter = RunCounter(), executor = Executor(registry: Stubs.registry)
        _ = try Stubs.run(executor, Stubs.diamond, counter: counter)
        let other = JSONObject([
            ("1", Stubs.node("Num", [("value", 2)])),
            ("9", Stubs.node("Show", [("x", Stubs.link("1"))])),
        ])
        let s2 = try Stubs.run(executor, other, counter: counter)
        #expect(s2.executed == ["9"])
        let s3 = try Stubs.run(executor, Stubs.diamond, counter: counter)
        #expect(s3.cached == ["1"])
        #expect(Set(s3.executed) == ["2", "3", "4", "5", "7"])
    }

    @Test func aFailureNamesTheNodeOnceAndKeepsCompletedWork() throws {
        let counter = RunCounter(), executor = Executor(registry: Stubs.registry)
        let p = JSONObject([
            ("1", Stubs.node("Num", [("value", 4)])),
            ("2", Stubs.node("Fail", [("x", Stubs.link("1")), ("fail", true)])),
            ("3", Stubs.node("Show", [("x", Stubs.link("2"))])),
        ])
        let failure = try #require(throws: NodeFailure.self) { try Stubs.run(executor, p, counter: counter) }
        #expect(failure.nodeID == "2")
        #expect(failure.classType == "Fail")
        #expect(failure.executed == ["1"])
        #expect(failure.description == "node 2 (Fail) failed: boom")
        let s = try Stubs.run(executor, Stubs.setting(p, "2", "fail", false), counter: counter)
        #expect(s.cached == ["1"])
        #expect(s.executed == ["2", "3"])
        #expect(counter.values["3"] == 4)
    }

    @Test func anInterruptStopsBeforeTheNextNodeAndIsClearedByTheNextRun() throws {
        let counter = RunCounter(), executor = Executor(registry: Stubs.registry)
        let interruptAfterFirst: ExecutionObserver = { event in
            if case .nodeFinished = event { executor.interruption.request() }
        }
        let stop = try #require(throws: Interrupted.self) {
            try Stubs.run(executor, Stubs.diamond, counter: counter, observer: interruptAfterFirst)
        }
        #expect(counter.byNode.values.reduce(0, +) == 1)
        #expect(stop.nodeID != "")
        let s = try Stubs.run(executor, Stubs.diamond, counter: counter)
        #expect(s.cached.count == 1)
        #expect(s.executed.count == 5)
    }

    @Test func stepProgressIsReportedAndInterruptible() throws {
        let counter = RunCounter(), executor = Executor(registry: Stubs.registry)
        let p = Stubs.setting(Stubs.diamond, "4", "steps", 3)
        let events = EventLog()
        _ = try Stubs.run(executor, p, counter: counter, observer: { events.append($0) })
        #expect(events.progress == [("4", 1, 3), ("4", 2, 3), ("4", 3, 3)].map { "\($0.0):\($0.1)/\($0.2)" })
        let stopMidway: ExecutionObserver = { event in
            if case .progress(_, 2, _, _) = event { executor.interruption.request() }
        }
        let stop = try #require(throws: Interrupted.self) {
            try Stubs.run(executor, Stubs.setting(p, "4", "factor", 3), counter: counter, observer: stopMidway)
        }
        #expect(stop.nodeID == "4")
        #expect(stop.classType == "Scale")
    }

    @Test func everyNodeRunsAfterItsSources() throws {
        let counter = RunCounter(), executor = Executor(registry: Stubs.registry)
        let s = try Stubs.run(executor, Stubs.diamond, counter: counter)
        let position = Dictionary(uniqueKeysWithValues: s.executed.enumerated().map { ($1, $0) })
        for (consumer, source) in [("3", "1"), ("3", "2"), ("4", "3"), ("5", "4"), ("7", "2")] {
            #expect((position[source] ?? 99) < (position[consumer] ?? -1), "\(source) before \(consumer)")
        }
    }

    @Test func aPromptValidatedForOtherNodesIsAScheduleErrorNotATrap() throws {
        let executor = Executor(registry: Stubs.registry)
        let p = JSONObject([("1", Stubs.node("Nope", []))])
        let elsewhere = NodeRegistry(Stubs.registry.nodes + [Nope.self])
        let e = try #require(throws: ScheduleError.self) {
            try Stubs.run(executor, p, counter: RunCounter(), types: elsewhere)
        }
        #expect(e == .unknownNodeType(nodeID: "1", classType: "Nope"))
    }

    @Test func aLinkToAMissingNodeFailsValidationAndNothingRuns() throws {
        let counter = RunCounter(), executor = Executor(registry: Stubs.registry)
        let p = JSONObject([("1", Stubs.node("Show", [("x", Stubs.link("42"))]))])
        #expect(throws: InvalidPrompt.self) { try Stubs.run(executor, p, counter: counter) }
        #expect(counter.byNode.isEmpty)
    }
}

/// A node only another registry knows.
enum Nope: NodeDefinition {
    static let declaration = NodeDeclaration("Nope", category: "test", inputs: [], outputs: [], isOutputNode: true)
    static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput { NodeOutput(values: []) }
}

/// Oracle: ComfyUI 0.8.0's message sequence (compat doc §5.2, §4.5, §4.6): `execution_start`,
/// `execution_cached`, `executing`/`progress`/`executed` per node, then exactly one of
/// `execution_success`, `execution_error` (node_id, node_type, executed, exception_message,
/// exception_type, current_inputs) or `execution_interrupted` (node_id, node_type, executed).
@Suite struct ExecutionEventTests {
    @Test func aSuccessfulRunEndsWithOneSuccessEventCarryingTheSummary() throws {
        let events = EventLog(), executor = Executor(registry: Stubs.registry)
        let s = try Stubs.run(executor, Stubs.diamond, counter: RunCounter(), observer: { events.append($0) })
        let names = events.names
        #expect(names.first == "started" && names.last == "succeeded")
        #expect(names.filter { ["succeeded", "failed", "interrupted"].contains($0) }.count == 1)
        guard case .succeeded(let reported)? = events.all.last else { Issue.record("no success event"); return }
        #expect(reported.executed == s.executed)
    }

    @Test func aFailureEventNamesTheNodeItsErrorAndWhatRanBefore() throws {
        let events = EventLog(), executor = Executor(registry: Stubs.registry)
        let p = JSONObject([
            ("1", Stubs.node("Num", [("value", 4)])),
            ("2", Stubs.node("Fail", [("x", Stubs.link("1")), ("fail", true)])),
            ("3", Stubs.node("Show", [("x", Stubs.link("2"))])),
        ])
        _ = try? Stubs.run(executor, p, counter: RunCounter(), observer: { events.append($0) })
        #expect(events.names.last == "failed")
        guard case .failed(let f)? = events.all.last else { Issue.record("no failure event"); return }
        #expect(f.nodeID == "2" && f.classType == "Fail" && f.executed == ["1"])
        #expect(f.message == "boom")
        #expect(f.exceptionType == "ExecutionTests.Boom")
        #expect(f.inputs == JSONObject([("x", ["a linked Number"]), ("fail", [true])]))
    }

    @Test func anInterruptEventNamesTheNodeAndWhatRanBefore() throws {
        let events = EventLog(), executor = Executor(registry: Stubs.registry)
        let p = Stubs.setting(Stubs.diamond, "4", "steps", 3)
        let observer: ExecutionObserver = { event in
            events.append(event)
            if case .progress(_, 2, _, _) = event { executor.interruption.request() }
        }
        _ = try? Stubs.run(executor, p, counter: RunCounter(), observer: observer)
        #expect(events.names.last == "interrupted")
        guard case .interrupted(let i)? = events.all.last else { Issue.record("no interrupt event"); return }
        #expect(i.nodeID == "4" && i.classType == "Scale")
        #expect(i.executed.contains("3") && !i.executed.contains("4"))
    }

    @Test func progressCarriesPreviewsOnlyWhenAsked() throws {
        let p = Stubs.setting(Stubs.diamond, "4", "steps", 2)
        for previews in [false, true] {
            let events = EventLog()
            _ = try Stubs.run(Executor(registry: Stubs.registry), p, counter: RunCounter(),
                              observer: { events.append($0) }, previews: previews)
            let steps = events.all.compactMap { e -> Int? in
                guard case let .progress(_, _, _, preview) = e else { return nil }
                return (preview as? StepPicture)?.step ?? 0
            }
            #expect(steps == (previews ? [1, 2] : [0, 0]))
        }
    }
}

final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ExecutionEvent] = []
    func append(_ e: ExecutionEvent) { lock.lock(); events.append(e); lock.unlock() }
    var all: [ExecutionEvent] { lock.lock(); defer { lock.unlock() }; return events }
    /// Each event's case name, in order.
    var names: [String] { all.map { String(describing: $0).prefix { $0 != "(" }.description } }
    var progress: [String] {
        lock.lock(); defer { lock.unlock() }
        return events.compactMap { if case let .progress(id, v, m, _) = $0 { return "\(id):\(v)/\(m)" } else { return nil } }
    }
}

@Suite struct RunReportTests {
    /// The `--report` entry shape of issue 2: executed, cached, seconds per executed node, outputs.
    @Test func aRerunReportListsExecutedCachedAndSeconds() throws {
        let counter = RunCounter(), executor = Executor(registry: Stubs.registry)
        _ = try Stubs.run(executor, Stubs.diamond, counter: counter)
        let s = try Stubs.run(executor, Stubs.setting(Stubs.diamond, "4", "factor", 2), counter: counter)
        let json = s.reportJSON
        #expect(json["executed"] == ["4", "5"])
        #expect(json["cached"] == ["1", "2", "3", "7"])
        #expect(json["seconds"]?.objectValue?.keys == ["4", "5"])
        #expect(json["seconds"]?["4"]?.doubleValue.map { $0 >= 0 } == true)
        #expect(json["outputs"] == [])
        #expect(s.ui["5"]?["value"] == 10.0)   // (2 + 3) * 2
        #expect(s.ui["7"]?["value"] == 3.0)
    }
}
