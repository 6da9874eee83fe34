namespace Wallet.Protocol.Registry;

/// <summary>One accredited provider in the registry: id, display name, categories, receipt key and validity.</summary>
/// <remarks>docs/PROTOCOL.md "Registry".</remarks>
public sealed class ProviderRecord
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Largest display name, in UTF-8 bytes.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Most categories per provider.</summary>
    public const int MaxCategories = 32;

    /// <summary>Creates a record.</summary>
    /// <param name="id">The provider's scheme account id.</param>
    /// <param name="name">The display name (NFC, at most 200 UTF-8 bytes).</param>
    /// <param name="categories">The categories (tokens); stored sorted, without duplicates.</param>
    /// <param name="receiptKey">The provider's Ed25519 key for payment requests and spend receipts.</param>
    /// <param name="validFrom">Start of the accreditation.</param>
    /// <param name="validUntil">End of the accreditation.</param>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The name, a category or the validity is invalid.</exception>
    public ProviderRecord(AccountId id, string name, IEnumerable<string> categories, Ed25519PublicKey receiptKey, DateTimeOffset validFrom, DateTimeOffset validUntil)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(receiptKey);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameLength || !name.IsNormalized())
        {
            throw new ArgumentException("The name is NFC with at most 200 UTF-8 bytes.", nameof(name));
        }

        var sorted = categories.Select(c => AsciiToken.Validate(c, nameof(categories))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        if (sorted.Length > MaxCategories)
        {
            throw new ArgumentException("At most 32 categories.", nameof(categories));
        }

        if (validFrom.ToUnixTimeSeconds() > validUntil.ToUnixTimeSeconds())
        {
            throw new ArgumentException("valid_from <= valid_until.", nameof(validUntil));
        }

        (Id, Name, Categories, ReceiptKey) = (id, name, sorted, receiptKey);
        ValidFrom = DateTimeOffset.FromUnixTimeSeconds(validFrom.ToUnixTimeSeconds());
        ValidUntil = DateTimeOffset.FromUnixTimeSeconds(validUntil.ToUnixTimeSeconds());
    }

    /// <summary>The provider's account id.</summary>
    public AccountId Id { get; }

    /// <summary>The display name.</summary>
    public string Name { get; }

    /// <summary>The categories, sorted ordinally.</summary>
    public ImmutableArray<string> Categories { get; }

    /// <summary>The provider's receipt key.</summary>
    public Ed25519PublicKey ReceiptKey { get; }

    /// <summary>Start of the accreditation.</summary>
    public DateTimeOffset ValidFrom { get; }

    /// <summary>End of the accreditation.</summary>
    public DateTimeOffset ValidUntil { get; }

    /// <summary>Whether the accreditation covers <paramref name="at"/>.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>True inside [valid_from, valid_until].</returns>
    public bool IsValidAt(DateTimeOffset at) => at >= ValidFrom && at <= ValidUntil;

    /// <summary>Whether the provider may redeem coins of <paramref name="fund"/>: the general fund, or a fund named after one of its categories.</summary>
    /// <param name="fund">The fund token.</param>
    /// <returns>Whether the fund is allowed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fund"/> is null.</exception>
    public bool Accepts(string fund)
    {
        ArgumentNullException.ThrowIfNull(fund);
        return fund == KeysetDescriptor.GeneralFund || Categories.Contains(fund, StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Provider({Id}, [{string.Join(',', Categories)}])";

    internal void Write(ProtocolWriter w)
    {
        w.U8(Version);
        w.Ascii(Id.Value);
        w.Utf8(Name);
        w.U8((byte)Categories.Length);
        foreach (string category in Categories)
        {
            w.Ascii(category);
        }

        w.Fixed(ReceiptKey.AsSpan());
        w.Time(ValidFrom);
        w.Time(ValidUntil);
    }

    internal static ProviderRecord Read(ref ProtocolReader r)
    {
        r.Version(Version, "provider record");
        var id = r.Account("provider_id");
        string name = r.Utf8("name", MaxNameLength);
        int count = r.U8("categories");
        if (count > MaxCategories)
        {
            throw new ProtocolFormatException("Too many categories.");
        }

        var categories = new string[count];
        for (int i = 0; i < count; i++)
        {
            categories[i] = r.Ascii("category");
            if (i > 0 && string.CompareOrdinal(categories[i - 1], categories[i]) >= 0)
            {
                throw new ProtocolFormatException("Categories are not strictly ascending.");
            }
        }

        if (!Ed25519PublicKey.TryImport(r.Fixed(Ed25519PublicKey.Length, "receipt_key"), out var key))
        {
            throw new ProtocolFormatException("Invalid receipt key.");
        }

        return new ProviderRecord(id, name, categories, key, r.Time("valid_from"), r.Time("valid_until"));
    }
}
