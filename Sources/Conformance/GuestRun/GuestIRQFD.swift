import GICVocabulary

/// A device line a guest scenario wires through an irqfd (`GuestScenario.irqfds`): the SPI, the
/// GSI routed to it, and whether it is a level line with a resampler.
struct GuestIRQFD: Hashable, Sendable {
    /// The SPI's INTID.
    var spi: UInt32
    /// The GSI; nil for the kernel's default for the SPI (INTID − 32).
    var gsi: UInt32?
    /// A level line: the guest's acknowledgement lowers it and signals the resample eventfd.
    var resample: Bool
}
