import Foundation
import Testing

/// Every ```swift block of README.md compiles as written: type-checked against the package's
/// built modules, each block alone in its own file, its imports at the top and the rest as the
/// body of a throwing function (`ReadmeSwiftBlock`). Shell and other blocks are not compiled.
/// Behaviour is checked elsewhere: the README*Tests of KVMTests, VGICTests and GICSnapshotTests
/// run copies of the examples against the simulator.
@Suite("README code blocks")
struct ReadmeCodeBlockTests {
    static let readme = BlockTypeChecker.packageRoot + "/README.md"

    @Test(
        "every swift block of README.md type-checks as written",
        .enabled(if: BlockTypeChecker.compiler != nil, "no swiftc beside the running Swift runtime or on PATH"),
        .enabled(if: BlockTypeChecker.modules != nil, "no built KVM.swiftmodule beside the test bundle (its Modules/ folder)"))
    func readmeBlocks() throws {
        let checker = try #require(BlockTypeChecker.found)
        let blocks = ReadmeSwiftBlock.all(in: try String(contentsOfFile: Self.readme, encoding: .utf8))
        try #require(!blocks.isEmpty, "README.md has no ```swift block")
        let outcome = try checker.typecheck(blocks, readme: Self.readme)
        let compiled = outcome.succeeded
        #expect(compiled, "a README block does not compile:\n\(outcome.diagnostics)")
    }

    @Test(
        "a block that does not compile fails the check, named by its README line",
        .enabled(if: BlockTypeChecker.compiler != nil, "no swiftc beside the running Swift runtime or on PATH"),
        .enabled(if: BlockTypeChecker.modules != nil, "no built KVM.swiftmodule beside the test bundle (its Modules/ folder)"))
    func brokenBlockFails() throws {
        let checker = try #require(BlockTypeChecker.found)
        let markdown = """
            # Example

            ```swift
            import KVM

            let kvm = try KVM.open()
            ```

            ```swift
            import GICSnapshot

            var vcpus = VCPUSet()
            let kvm = try KVM.open()
            ```
            """
        let outcome = try checker.typecheck(ReadmeSwiftBlock.all(in: markdown), readme: "EXAMPLE.md")
        let compiled = outcome.succeeded
        #expect(!compiled)
        // Imports are per block: the first block's `import KVM` does not reach the second.
        #expect(outcome.diagnostics.contains("EXAMPLE.md:13:15: error: cannot find 'KVM' in scope"), "\(outcome.diagnostics)")
        #expect(!outcome.diagnostics.contains("EXAMPLE.md:6:"), "\(outcome.diagnostics)")
    }

    @Test("only ```swift blocks are taken, with their README lines, fences and indentation removed")
    func extraction() {
        let markdown = """
            Text.

            ```swift
            import KVM
            let kvm = try KVM.open()
            ```

            ```sh
            swift run kvm-gic probe
            ```

            - In a list:

              ```swift
              let x = 1
              ```
            """
        #expect(ReadmeSwiftBlock.all(in: markdown) == [
            ReadmeSwiftBlock(number: 1, firstLine: 4, lines: ["import KVM", "let kvm = try KVM.open()"]),
            ReadmeSwiftBlock(number: 2, firstLine: 15, lines: ["let x = 1"]),
        ])
    }

    @Test("imports go to the top, every other line into the function, each mapped to its README line")
    func wrapping() {
        let block = ReadmeSwiftBlock(number: 3, firstLine: 10, lines: ["import KVM", "", "let kvm = try KVM.open()", "@testable import VGIC"])
        #expect(block.source(readme: "R.md") == """
            // README block 3, lines 10...13
            #sourceLocation(file: "R.md", line: 10)
            import KVM
            #sourceLocation(file: "R.md", line: 13)
            @testable import VGIC
            #sourceLocation()
            func readmeBlock3() throws {
            #sourceLocation(file: "R.md", line: 11)

            let kvm = try KVM.open()
            #sourceLocation()
            }

            """)
    }
}
