extension JSONValue {
    /// A canonical serialisation for hashing and signing: object keys sorted (by UTF-16 code units, as
    /// RFC 8785 orders them), no insignificant whitespace, integers in decimal, strings minimally escaped.
    /// Equal values always give equal bytes.
    public var canonicalBytes: [UInt8] {
        var output: [UInt8] = []
        writeCanonical(to: &output)
        return output
    }

    private func writeCanonical(to output: inout [UInt8]) {
        switch self {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.0.utf16.lexicographicallyPrecedes($1.0.utf16) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.writeString(member.0, to: &output)
                output.append(UInt8(ascii: ":"))
                member.1.writeCanonical(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                item.writeCanonical(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .double(let value) where value.isFinite && value != value.rounded():
            output.append(contentsOf: String(value).utf8)
        default:
            // Written in place: serialising each scalar to its own String would allocate per value.
            write(to: &output, indent: nil)
        }
    }
}
