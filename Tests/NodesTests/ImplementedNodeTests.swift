import Execution
import Foundation
import Nodes
import Testing
import TensorCore
import Workflow

/// The nodes that need no model, against ComfyUI 0.8.0's definitions (compat doc §2.2): empty
/// latents are zeros of `[B, C, h/8, w/8]` (floor division), FluxGuidance sets `guidance` on every
/// entry, ConditioningCombine concatenates, ConditioningZeroOut zeros cond and pooled. Exact.
@Suite struct ImplementedNodeTests {
    static func run<N: NodeDefinition>(_ node: N.Type, _ values: [String: InputArgument]) throws -> NodeOutput {
        let context = NodeContext(nodeID: "1", classType: node.declaration.schema.name, environment: Fixtures.environment())
        return try node.execute(Arguments(values: values, declaration: node.declaration), context)
    }

    @Test func emptyLatentsAreZerosOfTheRightShape() throws {
        let sd = try #require(try Self.run(EmptyLatentImage.self, ["width": .constant(71), "height": .constant(64),
                                                                    "batch_size": .constant(2)]).values.first as? LatentValue)
        #expect(sd.samples.shape == [2, 4, 8, 8])
        #expect(sd.samples.scalars.allSatisfy { $0 == 0 })
        let flux = try #require(try Self.run(EmptySD3LatentImage.self, ["width": .constant(1024), "height": .constant(512),
                                                                        "batch_size": .constant(1)]).values.first as? LatentValue)
        #expect(flux.samples.shape == [1, 16, 64, 128])
    }

    @Test func conditioningNodes() throws {
        let a = ConditioningValue([.init(cond: Tensor(shape: [1, 2, 3], repeating: 1), pooled: Tensor(shape: [1, 3], repeating: 2))])
        let b = ConditioningValue([.init(cond: Tensor(shape: [1, 4, 3], repeating: 5))])
        let guided = try #require(try Self.run(FluxGuidance.self, ["conditioning": .linked(a), "guidance": .constant(3.5)])
            .values.first as? ConditioningValue)
        #expect(guided.entries.map(\.guidance) == [3.5])
        let both = try #require(try Self.run(ConditioningCombine.self, ["conditioning_1": .linked(a), "conditioning_2": .linked(b)])
            .values.first as? ConditioningValue)
        #expect(both.entries.map(\.cond.shape) == [[1, 2, 3], [1, 4, 3]])
        let zero = try #require(try Self.run(ConditioningZeroOut.self, ["conditioning": .linked(a)]).values.first as? ConditioningValue)
        #expect(zero.entries.first?.cond.scalars == [Float](repeating: 0, count: 6))
        #expect(zero.entries.first?.pooled?.scalars == [0, 0, 0])
    }

    @Test func aMistypedLinkIsAClearErrorNotATrap() throws {
        let e = try #require(throws: ArgumentError.self) {
            try Self.run(FluxGuidance.self, ["conditioning": .linked(42), "guidance": .constant(1)])
        }
        #expect("\(e)" == "input 'conditioning' expects ConditioningValue (CONDITIONING), got a linked Int")
    }
}
