//! Thumbnails of evidence photos (证明材料缩略图): a timeline of a compound's path shows each
//! photo as a small picture rather than a hash, on a phone too, without sending the 5–20 MiB
//! original. The `image` crate decodes (JPEG, PNG, WebP; within [`LIMITS`]), turns the picture
//! the way the camera held it (EXIF orientation) and scales it to fit [`THUMB_PX`]; this module
//! only caches the JPEG it makes beside the files (`<evidence dir>/thumbs/<sha256>.jpg`), since
//! the same photo is shown on every visit. A PDF, a HEIC photo (no decoder here) or a file that
//! does not decode gets no thumbnail: the page shows its name instead.

use anju_app::model::{Evidence, EvidenceDir};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use std::path::PathBuf;

/// The longest side of a thumbnail, in pixels (shown at half that on a 2× phone screen).
pub const THUMB_PX: u32 = 320;

/// Decoding stops past these: a forged header cannot make the server reserve gigabytes.
fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(20_000);
    l.max_image_height = Some(20_000);
    l.max_alloc = Some(256 * 1024 * 1024);
    l
}

/// The format a stored file decodes as, when it is a picture this module can draw.
pub fn drawable(mime: &str) -> Option<ImageFormat> {
    match mime {
        "image/jpeg" => Some(ImageFormat::Jpeg),
        "image/png" => Some(ImageFormat::Png),
        "image/webp" => Some(ImageFormat::WebP),
        _ => None,
    }
}

fn cached_path(dir: &EvidenceDir, e: &Evidence) -> PathBuf {
    dir.root().join("thumbs").join(format!("{}.jpg", e.sha256))
}

/// The thumbnail of a picture as JPEG bytes: `bytes` decoded, turned upright, scaled to fit
/// [`THUMB_PX`] × [`THUMB_PX`] (never enlarged).
pub fn make(bytes: &[u8], format: ImageFormat) -> Result<Vec<u8>, image::ImageError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut img = DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);
    let img = if img.width() > THUMB_PX || img.height() > THUMB_PX {
        img.thumbnail(THUMB_PX, THUMB_PX)
    } else {
        img
    };
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img.to_rgb8())
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)?;
    Ok(out)
}

/// The thumbnail of a stored picture, from the cache or made and cached now; `None` for a file
/// that is not a picture this module draws, is missing, or does not decode. Blocking: call it
/// from `spawn_blocking`.
pub fn thumbnail(dir: &EvidenceDir, e: &Evidence) -> Option<Vec<u8>> {
    let format = drawable(&e.mime)?;
    let cached = cached_path(dir, e);
    if let Ok(b) = std::fs::read(&cached) {
        return Some(b);
    }
    let bytes = std::fs::read(dir.path_of(e)).ok()?;
    let out = make(&bytes, format).ok()?;
    // A temporary file renamed into place: a reader never sees half a thumbnail. A cache that
    // cannot be written (a read-only directory) still answers with the thumbnail made.
    if let Some(parent) = cached.parent()
        && std::fs::create_dir_all(parent).is_ok()
    {
        let tmp = cached.with_extension(format!("{}.tmp", std::process::id()));
        if std::fs::write(&tmp, &out).is_ok() && std::fs::rename(&tmp, &cached).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
    Some(out)
}

/// The HTTP answer with a stored picture's thumbnail (made off the async threads), or `None`
/// when it has none; the caller has checked that the viewer may see the file.
pub async fn answer(dir: EvidenceDir, e: Evidence) -> Option<axum::response::Response> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let thumb = tokio::task::spawn_blocking(move || thumbnail(&dir, &e))
        .await
        .ok()
        .flatten()?;
    Some(
        (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::CACHE_CONTROL, "private, max-age=86400"),
            ],
            thumb,
        )
            .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("png");
        out
    }

    #[test]
    fn a_large_photo_is_scaled_to_fit_and_a_small_one_is_not_enlarged() {
        let t = make(&png(1600, 1200), ImageFormat::Png).expect("thumb");
        let img = image::load_from_memory_with_format(&t, ImageFormat::Jpeg).expect("jpeg");
        assert_eq!((img.width(), img.height()), (320, 240));
        let t = make(&png(100, 50), ImageFormat::Png).expect("thumb");
        let img = image::load_from_memory_with_format(&t, ImageFormat::Jpeg).expect("jpeg");
        assert_eq!((img.width(), img.height()), (100, 50));
    }

    #[test]
    fn a_file_that_is_not_a_picture_makes_no_thumbnail() {
        assert!(make(b"%PDF-1.4 not a picture", ImageFormat::Png).is_err());
        assert!(make(b"\x89PNG\r\n\x1a\n broken", ImageFormat::Png).is_err());
        assert_eq!(drawable("application/pdf"), None);
        assert_eq!(drawable("image/heic"), None);
    }

    #[test]
    fn a_header_claiming_a_huge_picture_is_refused_before_decoding() {
        // A PNG header saying 100,000 × 100,000 pixels, and nothing behind it.
        let mut b = png(1, 1);
        b[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        b[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(make(&b, ImageFormat::Png).is_err());
    }
}
