/// A compact byte encoding for caches: unsigned LEB128 integers, and strings as their length and UTF-8.
/// Written and read by this program only, so it carries no schema; a format version up front guards changes.
struct SnapshotWriter {
    private(set) var bytes: [UInt8] = []
    /// The file whose places are written without its name (see `ConfigurationSnapshot`).
    var configurationFile = ""

    mutating func integer(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Signed values zigzag-encoded, so that small negative numbers stay small.
    mutating func integer(_ value: Int) {
        let signed = Int64(value)
        integer(UInt64(bitPattern: (signed << 1) ^ (signed >> 63)))
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func double(_ value: Double) { integer(value.bitPattern) }

    mutating func string(_ value: String) {
        integer(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func optional<Value>(_ value: Value?, _ write: (inout SnapshotWriter, Value) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }

    mutating func array<Element>(_ values: some Collection<Element>, _ write: (inout SnapshotWriter, Element) -> Void) {
        integer(UInt64(values.count))
        for value in values { write(&self, value) }
    }

    mutating func strings(_ values: [String]) { array(values) { $0.string($1) } }
}

/// Reads what `SnapshotWriter` wrote; any inconsistency throws, and the snapshot is then ignored.
struct SnapshotReader {
    struct Malformed: Error {}

    private let bytes: [UInt8]
    private var offset = 0
    /// The name given back to places written without one.
    var configurationFile = ""

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func unsigned() throws(Malformed) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw Malformed() }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    mutating func integer() throws(Malformed) -> Int {
        let zigzag = try unsigned()
        let value = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
        guard let result = Int(exactly: value) else { throw Malformed() }
        return result
    }

    /// A count of elements still to read, which cannot exceed the bytes left.
    mutating func count() throws(Malformed) -> Int {
        let value = try unsigned()
        guard value <= UInt64(bytes.count - offset) else { throw Malformed() }
        return Int(value)
    }

    mutating func bool() throws(Malformed) -> Bool {
        guard offset < bytes.count, bytes[offset] <= 1 else { throw Malformed() }
        offset += 1
        return bytes[offset - 1] == 1
    }

    mutating func double() throws(Malformed) -> Double { Double(bitPattern: try unsigned()) }

    mutating func string() throws(Malformed) -> String {
        let length = try count()
        defer { offset += length }
        return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
    }

    mutating func optional<Value>(_ read: (inout SnapshotReader) throws(Malformed) -> Value) throws(Malformed) -> Value? {
        try bool() ? try read(&self) : nil
    }

    mutating func array<Element>(_ read: (inout SnapshotReader) throws(Malformed) -> Element) throws(Malformed) -> [Element] {
        let count = try count()
        var values: [Element] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }

    mutating func strings() throws(Malformed) -> [String] { try array { (reader) throws(Malformed) in try reader.string() } }
}
