namespace DepinMarket.Domain;

/// <summary>
/// Characters no field of this API may hold: NUL and the other C0 controls (tab, line feed and carriage return
/// excepted: a sign-in message has lines), DEL, and unpaired UTF-16 surrogates. PostgreSQL refuses NUL in text
/// (SQLSTATE 22021), so letting one through would turn a client's mistake into a server error; the others
/// are never meant and make logs and displays lie.
/// </summary>
public static class ControlCharacters
{
    public const string Refusal = "must not contain control characters (such as NUL) or unpaired surrogates.";

    public static bool AreIn(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is < ' ' and not ('\t' or '\n' or '\r') || c == '\u007f')
            {
                return true;
            }
            if (char.IsHighSurrogate(c) && (i + 1 == text.Length || !char.IsLowSurrogate(text[++i])))
            {
                return true;
            }
            if (char.IsLowSurrogate(c))
            {
                return true;
            }
        }
        return false;
    }
}
