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
    /// For each of the 65,536 two-byte values, an index into `wordsByBigram`, or -1 when no word starts so:
    /// a table, not a dictionary, since it is consulted at every byte of every added line.
    private let bigramTable: [Int32]
    private let wordsByBigram: [[Int]]

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
        var bigramTable = [Int32](repeating: -1, count: 1 << 16)
        var wordsByBigram: [[Int]] = []
        for (index, word) in words.enumerated() {
            let key = Int(word[0]) << 8 | Int(word[1])
            if bigramTable[key] < 0 {
                bigramTable[key] = Int32(wordsByBigram.count)
                wordsByBigram.append([])
            }
            wordsByBigram[Int(bigramTable[key])].append(index)
        }
        self.entries = entries
        self.words = words
        self.entriesByWord = entriesByWord
        self.unfiltered = unfiltered
        self.bigramTable = bigramTable
        self.wordsByBigram = wordsByBigram
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Indices (into `entries`) of the patterns that match `line`, in ascending order.
    func matches(_ line: String) -> [Int] {
        var candidates = unfiltered
        var text = line
        text.withUTF8 { bytes in
            guard bytes.count >= 2 else { return }
            for position in 0..<(bytes.count - 1) {
                let list = bigramTable[Int(Self.lowered(bytes[position])) << 8 | Int(Self.lowered(bytes[position + 1]))]
                guard list >= 0 else { continue }
                for wordIndex in wordsByBigram[Int(list)] where Self.hasWord(words[wordIndex], in: bytes, at: position) {
                    candidates += entriesByWord[wordIndex]
                }
            }
        }
        guard !candidates.isEmpty else { return [] }
        return Set(candidates).sorted().filter { entries[$0].pattern.matches(line) }
    }

    private static func hasWord(_ word: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        guard position + word.count <= bytes.count else { return false }
        for offset in 2..<word.count where lowered(bytes[position + offset]) != word[offset] { return false }
        return true
    }

    static func lowered(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }
}
