/// A JSON document with insertion-ordered objects, so output is stable and follows the documented order.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A whole number; `3.0` counts, as in JSON Schema, because many encoders write integers that way.
    public var intValue: Int? {
        switch self {
        case .int(let i): return Int(exactly: i)
        case .double(let d): return Int(exactly: d)
        default: return nil
        }
    }

    /// Any number, whole or not.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}

extension JSONValue {
    /// Serialises with two-space indentation when `pretty`, else compactly on one line.
    public func serialized(pretty: Bool = true) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        write(to: &output, indent: pretty ? 0 : nil)
        return String(decoding: output, as: UTF8.self)
    }

    private static func newline(_ output: inout [UInt8], _ indent: Int) {
        output.append(0x0A)
        output.append(contentsOf: repeatElement(0x20, count: indent * 2))
    }

    func write(to output: inout [UInt8], indent: Int?) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let b): output.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): Self.writeInteger(i, to: &output)
        case .double(let d):
            if d.isFinite {
                output.append(contentsOf: (d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)).utf8)
            } else {
                output.append(contentsOf: "null".utf8)
            }
        case .string(let s): Self.writeString(s, to: &output)
        case .array(let items):
            if items.isEmpty {
                output.append(contentsOf: "[]".utf8)
                return
            }
            output.append(UInt8(ascii: "["))
            if items.count >= Self.itemsWrittenInParallel {
                Self.writeInParallel(items, to: &output, indent: indent)
            } else {
                Self.write(items[...], to: &output, indent: indent, first: true)
            }
            if let indent { Self.newline(&output, indent) }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty {
                output.append(contentsOf: "{}".utf8)
                return
            }
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                if let indent { Self.newline(&output, indent + 1) }
                Self.writeString(member.0, to: &output)
                output.append(UInt8(ascii: ":"))
                if indent != nil { output.append(0x20) }
                member.1.write(to: &output, indent: indent.map { $0 + 1 })
            }
            if let indent { Self.newline(&output, indent) }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Arrays this long (the files of a large range) are written in two halves on two threads.
    static let itemsWrittenInParallel = 4096

    private static func write(_ items: ArraySlice<JSONValue>, to output: inout [UInt8], indent: Int?, first: Bool) {
        for (offset, item) in items.enumerated() {
            if offset > 0 || !first { output.append(UInt8(ascii: ",")) }
            if let indent { newline(&output, indent + 1) }
            item.write(to: &output, indent: indent.map { $0 + 1 })
        }
    }

    private static func writeInParallel(_ items: [JSONValue], to output: inout [UInt8], indent: Int?) {
        let middle = items.count / 2
        let halves = [items[..<middle], items[middle...]]
        let written = [0, 1].concurrentMap(atLeast: 2) { half in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(halves[half].count * 64)
            write(halves[half], to: &bytes, indent: indent, first: half == 0)
            return bytes
        }
        for half in written { output.append(contentsOf: half) }
    }

    /// Digits written straight into the output, without a String for each number.
    private static func writeInteger(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        let start = output.count
        var rest = value.magnitude
        repeat {
            output.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        output[start...].reverse()
    }

    static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        // Runs of bytes that need no escape are copied at once; most strings are one such run.
        text.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: bytes[runStart..<index])
                writeEscape(byte, to: &output)
                runStart = index + 1
            }
            output.append(contentsOf: bytes[runStart...])
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func writeEscape(_ byte: UInt8, to output: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        default:
            let hex = Array(String(byte, radix: 16).utf8)
            output.append(contentsOf: Array("\\u00".utf8) + (hex.count == 1 ? [UInt8(ascii: "0")] : []) + hex)
        }
    }
}
