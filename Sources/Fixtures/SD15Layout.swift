import Foundation

/// The reference kit's description of SD1.5, bundled as resources: every key and shape of a
/// single-file checkpoint, and the diffusers -> LDM UNet name map.
public enum SD15Layout {
    public enum Failure: Error, CustomStringConvertible {
        case missingResource(String), malformed(String)
        public var description: String {
            switch self {
            case .missingResource(let name): return "fixture resource \(name) is missing from the bundle"
            case .malformed(let name): return "fixture resource \(name) is not the expected JSON"
            }
        }
    }

    /// Key -> shape of every tensor in an SD1.5 single-file checkpoint (sd15_layout.json).
    public static func checkpointShapes() throws -> [String: [Int]] {
        guard let object = try resource("sd15_layout") as? [String: [Int]] else {
            throw Failure.malformed("sd15_layout.json")
        }
        return object
    }

    /// Diffusers UNet name -> LDM UNet name (sd15_unet_diffusers_map.json).
    public static func unetDiffusersMap() throws -> [String: String] {
        guard let object = try resource("sd15_unet_diffusers_map") as? [String: String] else {
            throw Failure.malformed("sd15_unet_diffusers_map.json")
        }
        return object
    }

    private static func resource(_ name: String) throws -> Any {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources") else {
            throw Failure.missingResource("\(name).json")
        }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }
}
