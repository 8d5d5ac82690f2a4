using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.NewCode;

/// <summary>
/// Ordinal search in a <see cref="SourceText"/> without turning the whole text into one string: a text of a large file
/// is a chain of chunks, and <c>ToString()</c> copies it into a new string on the large-object heap every time, which
/// in a real build made the compiler's garbage collector stop every thread, analyzers' callbacks included, for over
/// 100 ms (docs/performance.md). The text is read through a small buffer instead.
/// </summary>
internal static class TextSearch
{
    private const int ChunkSize = 8192;

    /// <summary>Up to this length a text's string is no large-object-heap allocation (and usually no copy at all).</summary>
    private const int SmallText = 32 * 1024;

    /// <summary>Positions where <paramref name="value"/> occurs, in order (overlapping occurrences included).</summary>
    public static IEnumerable<int> Occurrences(SourceText text, string value)
    {
        if (value.Length == 0 || value.Length > ChunkSize)
        {
            yield break;
        }

        if (text.Length <= SmallText)
        {
            // A small file's text is one string already (Roslyn's StringText hands it out without copying).
            var whole = text.ToString();
            for (var at = whole.IndexOf(value, StringComparison.Ordinal); at >= 0; at = whole.IndexOf(value, at + 1, StringComparison.Ordinal))
            {
                yield return at;
            }

            yield break;
        }

        var buffer = new char[ChunkSize + value.Length - 1];
        for (var start = 0; start < text.Length; start += ChunkSize)
        {
            // Each window reads one chunk plus the characters an occurrence starting in it may run into.
            var count = Math.Min(buffer.Length, text.Length - start);
            if (count < value.Length)
            {
                yield break;
            }

            text.CopyTo(start, buffer, 0, count);
            var last = Math.Min(ChunkSize, count - value.Length + 1);
            for (var i = Array.IndexOf(buffer, value[0], 0, last); i >= 0; i = i + 1 < last ? Array.IndexOf(buffer, value[0], i + 1, last - i - 1) : -1)
            {
                if (Matches(buffer, i, value))
                {
                    yield return start + i;
                }
            }
        }
    }

    /// <summary>True when the text may spell an identifier with a Unicode escape (<c>\u0041</c>, <c>\U00000041</c>),
    /// which a text search for the identifier cannot see.</summary>
    public static bool MayHoldUnicodeEscape(SourceText text)
    {
        foreach (var at in Occurrences(text, "\\"))
        {
            if (at + 1 < text.Length && text[at + 1] is 'u' or 'U')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="value"/> occurs in the text.</summary>
    public static bool Contains(SourceText text, string value)
    {
        foreach (var _ in Occurrences(text, value))
        {
            return true;
        }

        return false;
    }

    /// <summary>
    /// A text searched many times (the files call following looks through, once per new member's name): copied once
    /// into chunks below the large-object heap's threshold, so that each search reads the chunks in place instead of
    /// copying the text again (copying the changed files once per name was a tenth of KS1001's time on Newtonsoft.Json).
    /// </summary>
    internal sealed class Searchable
    {
        private readonly string? _whole;
        private readonly char[][]? _chunks;
        private readonly int _length;

        public Searchable(SourceText text)
        {
            _length = text.Length;
            if (_length <= SmallText)
            {
                _whole = text.ToString();
            }
            else
            {
                _chunks = new char[(_length + ChunkSize - 1) / ChunkSize][];
                for (var i = 0; i < _chunks.Length; i++)
                {
                    var start = i * ChunkSize;
                    _chunks[i] = new char[Math.Min(ChunkSize, _length - start)];
                    text.CopyTo(start, _chunks[i], 0, _chunks[i].Length);
                }
            }

            foreach (var at in Occurrences("\\"))
            {
                if (at + 1 < _length && CharAt(at + 1) is 'u' or 'U')
                {
                    MayHoldUnicodeEscape = true;
                    break;
                }
            }
        }

        /// <summary>True when the text may spell an identifier with a Unicode escape (see <see cref="TextSearch.MayHoldUnicodeEscape"/>).</summary>
        public bool MayHoldUnicodeEscape { get; }

        /// <summary>The text's length.</summary>
        public int Length => _length;

        /// <summary>The character at <paramref name="position"/>.</summary>
        public char CharAt(int position) => _whole is not null ? _whole[position] : _chunks![position / ChunkSize][position % ChunkSize];

        /// <summary>The characters of [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) as a string.</summary>
        public string Substring(int start, int length)
        {
            if (_whole is not null)
            {
                return _whole.Substring(start, length);
            }

            var characters = new char[length];
            for (var i = 0; i < length; i++)
            {
                characters[i] = CharAt(start + i);
            }

            return new string(characters);
        }

        /// <summary>Positions where <paramref name="value"/> occurs, in order (overlapping occurrences included).</summary>
        public IEnumerable<int> Occurrences(string value) => Occurrences(value, 0, _length);

        /// <summary>
        /// The identifier names spelling <paramref name="name"/> in <paramref name="scope"/> (a node of the tree this is
        /// the text of) from <paramref name="from"/> on, in document order: found by the text search, confirmed on their
        /// tokens (comments, strings, inactive code and longer identifiers have no identifier token of exactly this name
        /// there; a verbatim @name's token starts one character earlier and has the same value). For a text that may
        /// spell identifiers with Unicode escapes (<see cref="MayHoldUnicodeEscape"/>) the callers walk the syntax instead.
        /// </summary>
        public IEnumerable<IdentifierNameSyntax> IdentifierNames(SyntaxNode scope, string name, int from)
        {
            foreach (var at in Occurrences(name, from, scope.Span.End))
            {
                var token = scope.FindToken(at);
                if (token.Span.Contains(at) && token.RawKind == (int)SyntaxKind.IdentifierToken && token.ValueText == name
                    && token.Parent is IdentifierNameSyntax identifier)
                {
                    yield return identifier;
                }
            }
        }

        /// <summary>Positions in [<paramref name="from"/>, <paramref name="to"/>) where <paramref name="value"/> starts
        /// and ends, in order.</summary>
        public IEnumerable<int> Occurrences(string value, int from, int to)
        {
            to = Math.Min(to, _length);
            var last = to - value.Length; // the last position an occurrence inside the range can start at
            if (value.Length == 0 || from < 0 || last < from)
            {
                yield break;
            }

            if (_whole is not null)
            {
                for (var at = _whole.IndexOf(value, from, to - from, StringComparison.Ordinal); at >= 0 && at <= last; at = at + 1 <= last ? _whole.IndexOf(value, at + 1, to - at - 1, StringComparison.Ordinal) : -1)
                {
                    yield return at;
                }

                yield break;
            }

            for (var c = from / ChunkSize; c <= last / ChunkSize; c++)
            {
                var chunk = _chunks![c];
                var start = c * ChunkSize;
                var begin = Math.Max(from - start, 0);
                var end = Math.Min(last - start + 1, chunk.Length); // exclusive
                for (var i = begin < end ? Array.IndexOf(chunk, value[0], begin, end - begin) : -1; i >= 0; i = i + 1 < end ? Array.IndexOf(chunk, value[0], i + 1, end - i - 1) : -1)
                {
                    if (MatchesAt(start + i, value))
                    {
                        yield return start + i;
                    }
                }
            }
        }

        private bool MatchesAt(int position, string value)
        {
            for (var j = 1; j < value.Length; j++)
            {
                if (CharAt(position + j) != value[j])
                {
                    return false;
                }
            }

            return true;
        }
    }

    private static bool Matches(char[] buffer, int at, string value)
    {
        for (var j = 1; j < value.Length; j++)
        {
            if (buffer[at + j] != value[j])
            {
                return false;
            }
        }

        return true;
    }
}
