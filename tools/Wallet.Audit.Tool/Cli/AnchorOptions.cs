using Wallet.Audit.Tool.Mirror;

namespace Wallet.Audit.Tool.Cli;

/// <summary>The trust anchors given on a sync's command line, checked and compared with the mirror's.</summary>
internal sealed record AnchorOptions(string? LogKey, string? AccreditationKey, IReadOnlyList<string> Witnesses, int? Quorum)
{
    private bool Any => LogKey is not null || AccreditationKey is not null || Witnesses.Count > 0 || Quorum is not null;

    /// <summary>The anchors to sync with: the stored ones (the given ones must agree), or for a new mirror the given ones.</summary>
    /// <exception cref="ToolException">A key does not parse, anchors are missing for a new mirror, or they differ from the stored ones (<see cref="ExitCodes.Usage"/>).</exception>
    public MirrorAnchors Resolve(MirrorAnchors? stored)
    {
        if (stored is null)
        {
            if (LogKey is null || AccreditationKey is null)
            {
                throw new ToolException(ExitCodes.Usage, "The first sync of a mirror needs its trust anchors: --log-key <vkey> and --accreditation-key <key> (and any --witness with --quorum).");
            }

            return Parse();
        }

        if (!Any)
        {
            return stored;
        }

        MirrorAnchors given = Parse(stored);
        if (!given.SameAs(stored))
        {
            throw new ToolException(ExitCodes.Usage, $"Refused: the trust anchors given differ from those this mirror was created with (log key {stored.LogVerifierKey}, accreditation key {stored.AccreditationKey}, {stored.Witnesses.Length} witness(es), quorum {stored.Quorum}). Use a new directory for other anchors.");
        }

        return stored;
    }

    // Options not given default to the stored ones, so a later sync may restate only some anchors.
    private MirrorAnchors Parse(MirrorAnchors? defaults = null)
    {
        string log = LogKey ?? defaults!.LogVerifierKey;
        try
        {
            if (NoteVerifier.Parse(log) is not Ed25519NoteVerifier)
            {
                throw new ToolException(ExitCodes.Usage, "--log-key is not an Ed25519 note verifier key (type 0x01), such as Scheme.Server prints as 'log vkey'.");
            }
        }
        catch (NoteFormatException e)
        {
            throw new ToolException(ExitCodes.Usage, $"--log-key is not a verifier key: {e.Message}", e);
        }

        string accreditation = AccreditationKey is null ? defaults!.AccreditationKey : ParseAccreditation(AccreditationKey);
        ImmutableArray<string> witnesses = Witnesses.Count > 0 || defaults is null ? [.. Witnesses] : defaults.Witnesses;
        foreach (string witness in witnesses)
        {
            try
            {
                if (NoteVerifier.Parse(witness) is not CosignatureV1Verifier)
                {
                    throw new ToolException(ExitCodes.Usage, $"--witness {witness} is not a cosignature/v1 verifier key (type 0x04).");
                }
            }
            catch (NoteFormatException e)
            {
                throw new ToolException(ExitCodes.Usage, $"--witness {witness} is not a verifier key: {e.Message}", e);
            }
        }

        int quorum = Quorum ?? (Witnesses.Count > 0 || defaults is null ? witnesses.Length : defaults.Quorum);
        var anchors = new MirrorAnchors(log, accreditation, witnesses, quorum);
        if (witnesses.IsEmpty && quorum != 0)
        {
            throw new ToolException(ExitCodes.Usage, "--quorum needs at least one --witness.");
        }

        try
        {
            _ = anchors.Policy();
        }
        catch (ArgumentException e)
        {
            throw new ToolException(ExitCodes.Usage, e.Message, e);
        }

        return anchors;
    }

    // The accreditation key as Scheme.Server prints it (64 hex digits) or as base64 of the 32 bytes.
    private static string ParseAccreditation(string text)
    {
        byte[]? bytes = null;
        if (text.Length == 2 * Ed25519PublicKey.Length && text.All(char.IsAsciiHexDigit))
        {
            bytes = Convert.FromHexString(text);
        }
        else
        {
            Span<byte> buffer = stackalloc byte[Ed25519PublicKey.Length + 3];
            if (Convert.TryFromBase64String(text, buffer, out int written) && written == Ed25519PublicKey.Length)
            {
                bytes = buffer[..written].ToArray();
            }
        }

        return bytes is not null && Ed25519PublicKey.TryImport(bytes, out _)
            ? Convert.ToHexStringLower(bytes)
            : throw new ToolException(ExitCodes.Usage, "--accreditation-key is not an Ed25519 public key: give its 64 hex digits (as Scheme.Server prints it) or the base64 of its 32 bytes.");
    }
}
