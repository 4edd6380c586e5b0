extension GuestLoad {
    /// The load as an ELF64 executable for AArch64 with one PT_LOAD segment at
    /// `GuestLayout.ramBase` (`flatImage`) and the runtime's entry as `e_entry`, for QEMU's
    /// `-kernel`. An ELF rather than a raw file for `-device loader`: with no kernel QEMU's `virt`
    /// board puts its 1 MiB devicetree at the base of RAM, where the runtime lives; for an ELF
    /// kernel it puts the devicetree elsewhere and starts vCPU 0 at `e_entry`, at EL1 with every
    /// interrupt masked and the MMU off.
    ///
    /// Layout (System V ABI, ELF-64 object file format 1.5): the 64-byte file header, the 56-byte
    /// program header, the segment's bytes at file offset 0x1000.
    public var elfImage: [UInt8] {
        let segment = flatImage
        let segmentOffset: UInt64 = 0x1000
        var out: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        out += littleEndian(2, count: 2)                 // e_type: ET_EXEC
        out += littleEndian(183, count: 2)               // e_machine: EM_AARCH64
        out += littleEndian(1, count: 4)                 // e_version
        out += littleEndian(entry, count: 8)             // e_entry
        out += littleEndian(64, count: 8)                // e_phoff
        out += littleEndian(0, count: 8)                 // e_shoff: no sections
        out += littleEndian(0, count: 4)                 // e_flags
        out += littleEndian(64, count: 2)                // e_ehsize
        out += littleEndian(56, count: 2)                // e_phentsize
        out += littleEndian(1, count: 2)                 // e_phnum
        out += littleEndian(64, count: 2)                // e_shentsize
        out += littleEndian(0, count: 2)                 // e_shnum
        out += littleEndian(0, count: 2)                 // e_shstrndx
        out += littleEndian(1, count: 4)                 // p_type: PT_LOAD
        out += littleEndian(7, count: 4)                 // p_flags: R, W, X
        out += littleEndian(segmentOffset, count: 8)     // p_offset
        out += littleEndian(GuestLayout.ramBase, count: 8)   // p_vaddr
        out += littleEndian(GuestLayout.ramBase, count: 8)   // p_paddr
        out += littleEndian(UInt64(segment.count), count: 8) // p_filesz
        out += littleEndian(UInt64(segment.count), count: 8) // p_memsz
        out += littleEndian(0x1000, count: 8)            // p_align
        out += [UInt8](repeating: 0, count: Int(segmentOffset) - out.count)
        return out + segment
    }
}
