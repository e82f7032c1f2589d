/// Standard base64 (RFC 4648, with padding), for mail headers, PEM keys and DSSE envelopes.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index < input.count {
            let a = input[index]
            let b = index + 1 < input.count ? input[index + 1] : 0
            let c = index + 2 < input.count ? input[index + 2] : 0
            output.append(alphabet[Int(a >> 2)])
            output.append(alphabet[Int((a & 0x03) << 4 | b >> 4)])
            output.append(index + 1 < input.count ? alphabet[Int((b & 0x0F) << 2 | c >> 6)] : UInt8(ascii: "="))
            output.append(index + 2 < input.count ? alphabet[Int(c & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes, ignoring line breaks and spaces; nil on any other character outside the alphabet.
    public static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case 65...90: values.append(byte - 65)
            case 97...122: values.append(byte - 71)
            case 48...57: values.append(byte + 4)
            case UInt8(ascii: "+"): values.append(62)
            case UInt8(ascii: "/"): values.append(63)
            case UInt8(ascii: "="), 0x0A, 0x0D, 0x20, 0x09: continue
            default: return nil
            }
        }
        var output: [UInt8] = []
        var index = 0
        while index + 1 < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            let a = chunk[chunk.startIndex]
            let b = chunk[chunk.startIndex + 1]
            output.append(a << 2 | b >> 4)
            if chunk.count > 2 {
                let c = chunk[chunk.startIndex + 2]
                output.append((b & 0x0F) << 4 | c >> 2)
                if chunk.count > 3 { output.append((c & 0x03) << 6 | chunk[chunk.startIndex + 3]) }
            }
            index += 4
        }
        return output
    }
}
