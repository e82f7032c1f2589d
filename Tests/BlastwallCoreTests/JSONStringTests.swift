import BlastwallCore
import Foundation
import PropertyBased
import Testing

/// String escaping in JSON output and in canonical (hashed) JSON: every string survives a round trip
/// through the parser and through Foundation's, whatever mix of quotes, backslashes, control characters
/// and non-ASCII text it holds.
@Suite struct JSONStringTests {
    static let pieces: [String] = [
        "a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "é", "日", "🚀", "\u{2028}",
    ]
    static let textGenerator = Gen<String?>.element(of: pieces).map { $0! }.array(of: 0...24).map { $0.joined() }

    @Test func stringsRoundTripThroughBothParsers() async {
        await propertyCheck(count: 2000, input: Self.textGenerator) { text in
            for encoded in [
                JSONValue.string(text).serialized(pretty: false), String(decoding: JSONValue.string(text).canonicalBytes, as: UTF8.self),
            ] {
                #expect(try JSONParser.parse(encoded) == .string(text), "\(encoded.debugDescription)")
                let foreign = try JSONSerialization.jsonObject(with: Data(encoded.utf8), options: .fragmentsAllowed) as? String
                #expect(foreign == text, "\(encoded.debugDescription)")
            }
        }
    }

    @Test func controlCharactersUseShortOrUnicodeEscapes() {
        #expect(JSONValue.string("a\"b\\c\nd\u{1}").serialized(pretty: false) == #""a\"b\\c\nd\u0001""#)
    }
}
