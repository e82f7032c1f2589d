/// Finds which content patterns match an added line, running a regex only when the line contains a word
/// that pattern requires. All required words are looked up together, in one pass over the line, through
/// a table of their first two (lowercased) bytes.
struct ContentScanner: Sendable {
    struct Entry: Sendable {
        var classIndex: Int
        var pattern: ContentPattern
    }

    let entries: [Entry]
    private let words: [[UInt8]]
    /// For each word, the entries that require it.
    private let entriesByWord: [[Int]]
    /// Entries without an inferable required word: their regex runs on every line.
    private let unfiltered: [Int]
    /// Word indices keyed by their first two bytes.
    private let bigrams: [UInt16: [Int]]

    init(classes: [ChangeClassDefinition]) {
        var entries: [Entry] = []
        var wordIndex: [[UInt8]: Int] = [:]
        var words: [[UInt8]] = []
        var entriesByWord: [[Int]] = []
        var unfiltered: [Int] = []
        for (classIndex, definition) in classes.enumerated() {
            for pattern in definition.addedLines {
                let entry = entries.count
                entries.append(Entry(classIndex: classIndex, pattern: pattern))
                guard let required = pattern.requiredWords, required.allSatisfy({ $0.count >= 2 }) else {
                    unfiltered.append(entry)
                    continue
                }
                for word in required {
                    if let existing = wordIndex[word] {
                        entriesByWord[existing].append(entry)
                    } else {
                        wordIndex[word] = words.count
                        words.append(word)
                        entriesByWord.append([entry])
                    }
                }
            }
        }
        var bigrams: [UInt16: [Int]] = [:]
        for (index, word) in words.enumerated() {
            bigrams[UInt16(word[0]) << 8 | UInt16(word[1]), default: []].append(index)
        }
        self.entries = entries
        self.words = words
        self.entriesByWord = entriesByWord
        self.unfiltered = unfiltered
        self.bigrams = bigrams
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Indices (into `entries`) of the patterns that match `line`, in ascending order.
    func matches(_ line: String) -> [Int] {
        var candidates = Set(unfiltered)
        var text = line
        text.withUTF8 { bytes in
            guard bytes.count >= 2 else { return }
            for position in 0..<(bytes.count - 1) {
                let key = UInt16(Self.lowered(bytes[position])) << 8 | UInt16(Self.lowered(bytes[position + 1]))
                guard let wordIndices = bigrams[key] else { continue }
                for wordIndex in wordIndices where Self.hasWord(words[wordIndex], in: bytes, at: position) {
                    candidates.formUnion(entriesByWord[wordIndex])
                }
            }
        }
        return candidates.sorted().filter { entries[$0].pattern.matches(line) }
    }

    private static func hasWord(_ word: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        guard position + word.count <= bytes.count else { return false }
        for offset in 2..<word.count where lowered(bytes[position + offset]) != word[offset] { return false }
        return true
    }

    static func lowered(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }
}
