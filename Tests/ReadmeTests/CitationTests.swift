import Foundation
import Testing

/// The repository carries its own specification: code cites the articles of the DocC catalogs
/// (`Sources/<Target>/<Target>.docc/`) or primary sources (a kernel file and function, an
/// architecture section), never a document that lives outside the repository.
///
/// Checked over every text file under Sources, Tests, CKVM, Scripts and Fuzz, plus README.md and
/// Package.swift:
/// * no file names an outside research document;
/// * every `<Target>.docc/<Article>.md` a file names exists;
/// * every test-vector id (`G3-12`, `G5-03`, `K5-08`) a file cites is defined — as a table row or
///   a heading — in a catalog article, and the file names the article that defines it;
/// * every `<doc:Article>` link in a catalog resolves within that catalog.
@Suite("Citations name in-repository documents")
struct CitationTests {
    /// Names of the research notes the facts were first collected in, outside the repository.
    /// Spelled in pieces so this file does not cite them itself.
    static let outsideDocuments = [
        "shared" + "/docs", "gic-model" + ".md", "kvm-vgic-uapi" + ".md", "anchors" + ".md",
        "real-kernel-lab" + ".md", "uapi" + " doc",
    ]

    /// Files another branch is deleting; they are left as they are until that branch lands.
    static let beingRemoved: Set<String> = [
        "Tests/CheckedVGICTests/ModelBackedKernel.swift",
        "Tests/GICSnapshotTests/FakeVGICKernel.swift",
        "Tests/VGICTests/GICv5KernelSimulator.swift",
    ]

    static let root = BlockTypeChecker.packageRoot

    /// Repository-relative path and contents of every file the rules apply to.
    static let files: [(path: String, text: String)] = {
        let textExtensions: Set<String> = ["swift", "h", "c", "sh", "md", "modulemap"]
        var result: [(String, String)] = []
        for top in ["Sources", "Tests", "CKVM", "Scripts", "Fuzz"] {
            let base = URL(fileURLWithPath: root).appendingPathComponent(top)
            guard let walk = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walk where textExtensions.contains(url.pathExtension) {
                let path = String(url.path.dropFirst(root.count + 1))
                guard !beingRemoved.contains(path), let text = try? String(contentsOf: url, encoding: .utf8)
                else { continue }
                result.append((path, text))
            }
        }
        for name in ["README.md", "Package.swift"] {
            if let text = try? String(contentsOfFile: root + "/" + name, encoding: .utf8) { result.append((name, text)) }
        }
        return result.sorted { $0.0 < $1.0 }
    }()

    /// The catalog articles, keyed "<Target>.docc/<Article>.md".
    static let articles: [String: String] = {
        var result: [String: String] = [:]
        for file in files where file.path.hasPrefix("Sources/") && file.path.hasSuffix(".md") {
            let parts = file.path.split(separator: "/")
            if parts.count == 4, parts[2].hasSuffix(".docc") { result["\(parts[2])/\(parts[3])"] = file.text }
        }
        return result
    }()

    /// This file names the outside documents on purpose.
    static let thisFile = String(URL(fileURLWithPath: #filePath).path.dropFirst(root.count + 1))

    /// Which outside documents `text` names, case-insensitively.
    static func outsideCitations(in text: String) -> [String] {
        let lowered = text.lowercased()
        return outsideDocuments.filter { lowered.contains($0) }
    }

    /// The vector ids `text` cites, ranges such as `G3-01..13`, `G3-19..G3-22`, `G3-12/13` and
    /// `K5-07 to K5-10` expanded.
    static func vectorIDs(in text: String) -> Set<String> {
        let pattern = try! Regex(#"\b(G3|G5|K5)-(\d\d)((?:\.\.|–| to )(?:(?:G3|G5|K5)-)?(\d\d)|/(\d\d))?\b"#)
        var ids: Set<String> = []
        for match in text.matches(of: pattern) {
            guard let family = match.output[1].substring, let first = match.output[2].substring.flatMap({ Int($0) })
            else { continue }
            let last = match.output[4].substring.flatMap { Int($0) } ?? match.output[5].substring.flatMap { Int($0) }
            let numbers = last.map { $0 >= first ? Array(first...$0) : [first, $0] } ?? [first]
            for n in numbers { ids.insert("\(family)-\(n < 10 ? "0" : "")\(n)") }
        }
        return ids
    }

    /// The ids an article defines: the first cell of a table row, or a heading.
    static func definedVectorIDs(in article: String) -> Set<String> {
        let pattern = try! Regex(#"(?m)^(?:\|\s*|#+\s+)((?:G3|G5|K5)-\d\d)\b"#)
        return Set(article.matches(of: pattern).compactMap { $0.output[1].substring.map(String.init) })
    }

    /// The article that defines each vector id.
    static let definitions: [String: String] = {
        var result: [String: String] = [:]
        for (name, text) in articles {
            for id in definedVectorIDs(in: text) { result[id] = name }
        }
        return result
    }()

    @Test("the catalogs exist and define the vectors", arguments: [
        "GICVocabulary", "KVM", "VGIC", "GICModel", "GICv5Model", "GICSnapshot", "Conformance", "DeviceTree", "GICDescription",
    ])
    func catalogExists(target: String) throws {
        let landing = try #require(Self.articles["\(target).docc/\(target).md"], "no landing page for \(target)")
        #expect(landing.hasPrefix("# ``\(target)``"), "the landing page's title must be the module's symbol link")
    }

    @Test("the vector tables define every family")
    func vectorFamiliesDefined() {
        #expect(Self.definitions["G3-01"] == "GICModel.docc/GICv3TestVectors.md")
        #expect(Self.definitions["G5-17"] == "GICv5Model.docc/GICv5TestVectors.md")
        #expect(Self.definitions["K5-10"] == "GICv5Model.docc/GICv5TestVectors.md")
    }

    @Test("no file cites a document outside the repository")
    func noOutsideCitations() {
        #expect(!Self.files.isEmpty)
        for file in Self.files where file.path != Self.thisFile {
            let found = Self.outsideCitations(in: file.text)
            #expect(found.isEmpty, "\(file.path) cites \(found.joined(separator: ", ")), which is not in the repository")
        }
    }

    @Test("every cited catalog article exists")
    func citedArticlesExist() throws {
        let pattern = try Regex(#"\b([A-Za-z0-9]+\.docc/[A-Za-z0-9]+\.md)\b"#)
        for file in Self.files {
            for match in file.text.matches(of: pattern) {
                let name = String(match.output[1].substring ?? "")
                let exists = Self.articles[name] != nil
                #expect(exists, "\(file.path) cites \(name), which does not exist")
            }
        }
    }

    @Test("every cited vector is defined, and the citing file names its article")
    func citedVectorsDefined() {
        for file in Self.files where !file.path.contains(".docc/") && file.path != Self.thisFile {
            for id in Self.vectorIDs(in: file.text).sorted() {
                guard let article = Self.definitions[id] else {
                    Issue.record("\(file.path) cites vector \(id), which no catalog article defines")
                    continue
                }
                let articleName = String(article.split(separator: "/")[1].dropLast(3))
                let namesArticle = file.text.contains(articleName)
                #expect(namesArticle, "\(file.path) cites vector \(id) without naming \(article), where it is defined")
            }
        }
    }

    @Test("every <doc:> link in a catalog resolves within it")
    func docLinksResolve() throws {
        let pattern = try Regex(#"<doc:([A-Za-z0-9]+)>"#)
        for (name, text) in Self.articles {
            let catalog = name.split(separator: "/")[0]
            for match in text.matches(of: pattern) {
                let target = "\(catalog)/\(match.output[1].substring ?? "").md"
                let exists = Self.articles[target] != nil
                #expect(exists, "\(name) links to \(target), which does not exist")
            }
        }
    }

    @Test("the range notation expands", arguments: [
        ("G3-01..13", ["G3-01", "G3-02", "G3-03", "G3-04", "G3-05", "G3-06", "G3-07", "G3-08", "G3-09", "G3-10",
                       "G3-11", "G3-12", "G3-13"]),
        ("G3-12/13", ["G3-12", "G3-13"]),
        ("K5-07 to K5-10", ["K5-07", "K5-08", "K5-09", "K5-10"]),
        ("(G3-22)", ["G3-22"]),
    ])
    func rangesExpand(text: String, expected: [String]) {
        #expect(Self.vectorIDs(in: text) == Set(expected))
    }
}
