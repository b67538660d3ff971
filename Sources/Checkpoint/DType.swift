/// The element types of the safetensors format, spelled as in its header ("F16", "BF16", ...).
/// float8 e4m3fn is "F8_E4M3" there (the safetensors name for torch.float8_e4m3fn); the reader
/// also accepts "F8_E4M3FN" (`init(headerName:)`).
public enum DType: String, CaseIterable, Sendable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16"
    case f8e4m3fn = "F8_E4M3", f8e5m2 = "F8_E5M2"
    case f64 = "F64", i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8"
    case bool = "BOOL"

    /// The dtype a header names, with "F8_E4M3FN" read as float8 e4m3fn too.
    public init?(headerName: String) {
        if headerName == "F8_E4M3FN" { self = .f8e4m3fn; return }
        self.init(rawValue: headerName)
    }

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f64, .i64: return 8
        case .f32, .i32: return 4
        case .f16, .bf16, .i16: return 2
        case .f8e4m3fn, .f8e5m2, .i8, .u8, .bool: return 1
        }
    }

    /// Whether the type stores floating-point values.
    public var isFloatingPoint: Bool {
        switch self {
        case .f32, .f16, .bf16, .f8e4m3fn, .f8e5m2, .f64: return true
        default: return false
        }
    }
}
