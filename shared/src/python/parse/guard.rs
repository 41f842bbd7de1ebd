//! A bound on nesting, checked on the token stream before parsing: the parser descends once
//! for every bracket, unary operator, `await`, `lambda`, conditional, power and block, so a
//! program nested a hundred thousand deep would overflow its stack. CPython has such a bound
//! too ("too many nested parentheses" at 200).

use ruff_python_ast::token::{Token, TokenKind};
use ruff_python_parser::Mode;
use ruff_python_parser::lexer::lex;
use ruff_text_size::Ranged;

use crate::limits::MAX_PYTHON_NESTING;
use crate::python::Diagnostic;

/// Refuses a program that nests deeper than [`MAX_PYTHON_NESTING`] on one logical line, or
/// in blocks.
pub(super) fn nesting(source: &str) -> Result<(), Vec<Diagnostic>> {
    let mut lexer = lex(source, Mode::Module);
    let (mut brackets, mut prefixes, mut blocks) = (0usize, 0usize, 0usize);
    let mut line = 1u32;
    loop {
        let kind = lexer.next_token();
        match kind {
            TokenKind::EndOfFile => return Ok(()),
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => brackets += 1,
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                brackets = brackets.saturating_sub(1);
            }
            TokenKind::Minus
            | TokenKind::Plus
            | TokenKind::Tilde
            | TokenKind::Not
            | TokenKind::Await
            | TokenKind::Lambda
            | TokenKind::If
            | TokenKind::DoubleStar => prefixes += 1,
            TokenKind::Indent => blocks += 1,
            TokenKind::Dedent => blocks = blocks.saturating_sub(1),
            TokenKind::Newline => {
                prefixes = 0;
                line += 1;
            }
            TokenKind::NonLogicalNewline => line += 1,
            _ => {}
        }
        let depth = brackets + prefixes;
        if depth > MAX_PYTHON_NESTING || blocks > MAX_PYTHON_NESTING {
            let what = if blocks > MAX_PYTHON_NESTING {
                "blocks nest"
            } else {
                "this line nests brackets and operators"
            };
            let offset = line_offset(source, line);
            return Err(vec![Diagnostic::at(
                source,
                offset,
                offset,
                format!(
                    "{what} more than {MAX_PYTHON_NESTING} deep (MAX_PYTHON_NESTING); \
                     looplab's programs need a few levels"
                ),
            )]);
        }
    }
}

/// Where line `line` (from 1) starts.
fn line_offset(source: &str, line: u32) -> usize {
    if line <= 1 {
        return 0;
    }
    source
        .match_indices('\n')
        .nth(line as usize - 2)
        .map_or(source.len(), |(i, _)| i + 1)
}

/// The bracket a program leaves open, as CPython reports it: at the bracket, not where the
/// parser finds out (everything after an open bracket is one line to it, so its errors are
/// consequences). The innermost one opened before `error`, the parser's first error.
pub(super) fn unclosed(source: &str, tokens: &[Token], error: usize) -> Option<Diagnostic> {
    let mut open: Vec<&Token> = Vec::new();
    for token in tokens {
        match token.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => open.push(token),
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                open.pop();
            }
            _ => {}
        }
    }
    let bracket = open.iter().rev().find(|t| usize::from(t.start()) < error)?;
    let start = usize::from(bracket.start());
    let text = source.get(start..start + 1).unwrap_or("(");
    Some(Diagnostic::at(
        source,
        start,
        start + 1,
        format!("'{text}' was never closed"),
    ))
}
