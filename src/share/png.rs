//! A PNG writer for the badge: 8-bit RGBA, one zlib stream, each row
//! filtered by its left neighbour ("Sub"), which suits flat colours.

use crate::credential::baked::{PNG_SIGNATURE, png_chunk};
use std::io::Write as _;

/// `rgba` (`width` x `height` pixels, row by row) as a PNG file.
///
/// # Panics
/// Never: `rgba` shorter than `width * height * 4` is padded with
/// transparent pixels, and compressing into memory cannot fail.
pub fn encode(width: u32, height: u32, rgba: &[u8]) -> Vec<u8> {
    let stride = width as usize * 4;
    let mut filtered = Vec::with_capacity((stride + 1) * height as usize);
    for y in 0..height as usize {
        filtered.push(1); // Sub
        for x in 0..stride {
            let byte = rgba.get(y * stride + x).copied().unwrap_or(0);
            let left = if x >= 4 {
                rgba.get(y * stride + x - 4).copied().unwrap_or(0)
            } else {
                0
            };
            filtered.push(byte.wrapping_sub(left));
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing into a Vec cannot fail.
    let idat = z
        .write_all(&filtered)
        .and_then(|()| z.finish())
        .unwrap_or_default();
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    // 8 bits per channel, RGBA, deflate, adaptive filters, no interlace.
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut out = PNG_SIGNATURE.to_vec();
    out.extend(png_chunk(b"IHDR", &header));
    out.extend(png_chunk(b"IDAT", &idat));
    out.extend(png_chunk(b"IEND", &[]));
    out
}
