//! Files in the stand-in: uploads in `multipart/form-data` (parsed with multer, as the real
//! server accepts them: a field `document=attach://<part>` naming a part, or the file part
//! under the field's own name), `sendPhoto`/`sendDocument`/`sendVoice`, `getFile`, and the
//! download path `/file/bot<token>/<file_path>`. Files the employee sends are stored the same
//! way, so the bot fetches them exactly as it would from Telegram.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::error::ApiError;
use super::params::Params;
use super::state::{State, StoredMessage};
use super::text::FormattedText;

/// Telegram lets bots download files up to 20 MB.
pub(crate) const MAX_DOWNLOAD_BYTES: usize = 20 * 1024 * 1024;
/// Telegram's limit on captions, in UTF-16 code units.
const MAX_CAPTION_UNITS: usize = 1024;

/// One file part of a multipart upload.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    /// The part's name.
    pub(crate) name: String,
    pub(crate) file_name: Option<String>,
    pub(crate) bytes: Arc<Vec<u8>>,
}

/// A file the stand-in holds.
#[derive(Debug, Clone)]
pub(crate) struct StoredFile {
    pub(crate) unique_id: String,
    pub(crate) path: String,
    pub(crate) bytes: Arc<Vec<u8>>,
}

/// Reads a `multipart/form-data` body: text fields become parameters, file parts uploads.
pub(crate) async fn read_multipart(
    params: &mut Params,
    content_type: &str,
    body: axum::body::Bytes,
) -> Result<(), ApiError> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| ApiError::bad_request("can't parse multipart/form-data: no boundary"))?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let bad = |_| ApiError::bad_request("can't parse multipart/form-data");
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(bad)?;
        if file_name.is_some() {
            params.uploads.push(Upload {
                name,
                file_name,
                bytes: Arc::new(bytes.to_vec()),
            });
        } else {
            params.push(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(())
}

impl State {
    /// Keeps `bytes` as a file; returns its file_id.
    pub(crate) fn store_file(&mut self, bytes: Arc<Vec<u8>>, folder: &str) -> String {
        let n = self.files.len() + 1;
        let file_id = format!("BQACAgQAAxkB{n:08}standin");
        let unique_id = format!("AgAD{n:08}");
        let path = format!("{folder}/file_{n}");
        self.files.insert(
            file_id.clone(),
            StoredFile {
                unique_id,
                path,
                bytes,
            },
        );
        file_id
    }

    /// The File object's metadata fields of a stored file.
    pub(crate) fn file_meta(&self, file_id: &str) -> Value {
        match self.files.get(file_id) {
            Some(file) => json!({
                "file_id": file_id,
                "file_unique_id": file.unique_id,
                "file_size": file.bytes.len(),
            }),
            None => json!({ "file_id": file_id, "file_unique_id": "unknown" }),
        }
    }

    pub(crate) fn get_file(&self, params: &Params) -> Result<Value, ApiError> {
        let file_id = params.get("file_id");
        if file_id.is_empty() {
            return Err(ApiError::bad_request("file_id not specified"));
        }
        let file = self
            .files
            .get(file_id)
            .ok_or_else(|| ApiError::bad_request("invalid file_id"))?;
        if file.bytes.len() > MAX_DOWNLOAD_BYTES {
            return Err(ApiError::bad_request("file is too big"));
        }
        let mut meta = self.file_meta(file_id);
        meta["file_path"] = json!(file.path);
        Ok(meta)
    }

    /// The bytes behind a `file_path` that getFile handed out.
    pub(crate) fn file_at(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        self.files
            .values()
            .find(|file| file.path == path)
            .map(|file| file.bytes.clone())
    }

    /// The file a send method's `field` names: an upload (`attach://<part>` or a part under
    /// the field's name) or the file_id of a file the stand-in holds.
    fn input_file(
        &mut self,
        params: &Params,
        field: &str,
    ) -> Result<(String, Option<String>), ApiError> {
        let value = params.get(field);
        let part = value.strip_prefix("attach://").unwrap_or(field);
        if let Some(upload) = params.uploads.iter().find(|u| u.name == part) {
            let id = self.store_file(upload.bytes.clone(), field);
            return Ok((id, upload.file_name.clone()));
        }
        if value.is_empty() {
            return Err(ApiError::bad_request(format!(
                "there is no {field} in the request"
            )));
        }
        if self.files.contains_key(value) {
            return Ok((value.to_owned(), None));
        }
        Err(ApiError::bad_request(
            "wrong file identifier/HTTP URL specified",
        ))
    }

    /// sendPhoto, sendDocument and sendVoice: the file becomes a message in the chat.
    pub(crate) fn send_file(&mut self, method: &str, params: &Params) -> Result<Value, ApiError> {
        let field = match method {
            "sendPhoto" => "photo",
            "sendVoice" => "voice",
            _ => "document",
        };
        let caption = params.get("caption").trim().to_owned();
        if super::text::utf16_len(&caption) > MAX_CAPTION_UNITS {
            return Err(ApiError::bad_request("message caption is too long"));
        }
        let chat_id = self.chat_for_sending(params.get("chat_id"))?;
        let (file_id, file_name) = self.input_file(params, field)?;
        let meta = self.file_meta(&file_id);
        let content = match field {
            "photo" => {
                let mut size = meta;
                size["width"] = json!(800);
                size["height"] = json!(600);
                json!([size])
            }
            "voice" => {
                let mut voice = meta;
                voice["duration"] = json!(1);
                voice["mime_type"] = json!("audio/ogg");
                voice
            }
            _ => {
                let mut document = meta;
                if let Some(name) = file_name {
                    document["file_name"] = json!(name);
                }
                document
            }
        };
        let mut other = Map::new();
        other.insert(field.to_owned(), content);
        if !caption.is_empty() {
            other.insert("caption".to_owned(), json!(caption));
        }
        let now = self.now();
        let mut message = StoredMessage::new(0, now, true, FormattedText::default());
        message.other = other;
        self.post_bot_message(chat_id, message)
    }
}

impl State {
    /// editMessageCaption: only a bot's file message has a caption to edit; the same
    /// caption again is "not modified", as on the real server.
    pub(crate) fn edit_message_caption(&mut self, params: &Params) -> Result<Value, ApiError> {
        let caption = params.get("caption").trim().to_owned();
        if super::text::utf16_len(&caption) > MAX_CAPTION_UNITS {
            return Err(ApiError::bad_request("message caption is too long"));
        }
        let (chat_id, message_id) = self.target_for_edit(params)?;
        let now = self.now();
        let Some(message) = self
            .chats
            .get_mut(&chat_id)
            .and_then(|chat| chat.message_mut(message_id))
        else {
            return Err(ApiError::bad_request("message to edit not found"));
        };
        if !message.from_bot {
            return Err(ApiError::bad_request("message can't be edited"));
        }
        if file_id_of(&message.other).is_none() {
            return Err(ApiError::bad_request(
                "there is no caption in the message to edit",
            ));
        }
        let current = message
            .other
            .get("caption")
            .and_then(Value::as_str)
            .unwrap_or("");
        if current == caption {
            return Err(ApiError::bad_request(super::methods::NOT_MODIFIED));
        }
        message.remember_version(now);
        if caption.is_empty() {
            message.other.remove("caption");
        } else {
            message.other.insert("caption".to_owned(), json!(caption));
        }
        message.edit_date = Some(now);
        self.render_message(chat_id, message_id)
    }
}

/// The file_id a message carries (the largest photo size, a document, a voice note...).
pub(crate) fn file_id_of(other: &Map<String, Value>) -> Option<String> {
    let file = match other.get("photo") {
        Some(Value::Array(sizes)) => sizes.last(),
        _ => ["document", "voice", "audio", "video"]
            .iter()
            .find_map(|field| other.get(*field)),
    }?;
    file.get("file_id")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;
    use teloxide::net::Download;
    use teloxide::prelude::*;
    use teloxide::types::{FileId, InputFile};

    use crate::{TestUser, serve};

    async fn download(bot: &Bot, file_id: &str) -> Vec<u8> {
        let file = bot.get_file(FileId(file_id.to_owned())).await.unwrap();
        let mut stream = bot.download_file_stream(&file.path);
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            bytes.extend_from_slice(&chunk.unwrap());
        }
        bytes
    }

    #[tokio::test]
    async fn files_travel_both_ways_through_teloxide_unchanged() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let standin = serve(listener, "42:TOKEN".into()).await.unwrap();
        let bot = Bot::new("42:TOKEN").set_api_url(standin.api_url().parse().unwrap());
        let user = TestUser::new(7, "Eva");
        standin.register_user(&user).unwrap();
        standin.inject_text(&user, "hallo").unwrap();

        // The bot sends a document with a multipart upload.
        let pdf = b"%PDF-1.7 leaflet".to_vec();
        let sent = bot
            .send_document(
                ChatId(7),
                InputFile::memory(pdf.clone()).file_name("Klachtenregeling.pdf"),
            )
            .caption("Anna stuurt u een bestand.")
            .await
            .unwrap();
        assert_eq!(
            sent.document().unwrap().file_name.as_deref(),
            Some("Klachtenregeling.pdf")
        );
        let shown = standin.sent_messages(7).pop().unwrap();
        assert_eq!(shown.caption.as_deref(), Some("Anna stuurt u een bestand."));
        let file_id = shown.file_id.expect("a file id");
        assert_eq!(standin.file_bytes(&file_id).unwrap(), pdf);
        assert_eq!(download(&bot, &file_id).await, pdf);

        let photo = bot
            .send_photo(
                ChatId(7),
                InputFile::memory(vec![0xFF, 0xD8, 1]).file_name("x.jpg"),
            )
            .await
            .unwrap();
        assert!(photo.photo().is_some());

        // The employee sends a photo; the bot sees it in an update and fetches it.
        standin
            .inject_photo(&user, vec![9, 8, 7], Some("kijk"))
            .unwrap();
        let updates = bot.get_updates().await.unwrap();
        let message = updates
            .iter()
            .find_map(|u| match &u.kind {
                teloxide::types::UpdateKind::Message(m) if m.photo().is_some() => Some(m.clone()),
                _ => None,
            })
            .expect("a photo update");
        assert_eq!(message.caption(), Some("kijk"));
        let id = message.photo().unwrap().last().unwrap().file.id.0.clone();
        assert_eq!(download(&bot, &id).await, vec![9, 8, 7]);

        // The exactly-once probe: the same caption is "not modified" only on that file.
        let same = bot
            .edit_message_caption(ChatId(7), sent.id)
            .caption("Anna stuurt u een bestand.")
            .await;
        assert!(
            matches!(
                same,
                Err(teloxide::RequestError::Api(
                    teloxide::ApiError::MessageNotModified
                ))
            ),
            "{same:?}"
        );
        let text = bot.send_message(ChatId(7), "tekst").await.unwrap();
        let on_text = bot
            .edit_message_caption(ChatId(7), text.id)
            .caption("Anna stuurt u een bestand.")
            .await;
        assert!(
            matches!(&on_text, Err(teloxide::RequestError::Api(e)) if e.to_string().contains("no caption")),
            "{on_text:?}"
        );
        let past_the_end = bot
            .edit_message_caption(ChatId(7), teloxide::types::MessageId(text.id.0 + 5))
            .caption("x")
            .await;
        assert!(matches!(
            past_the_end,
            Err(teloxide::RequestError::Api(
                teloxide::ApiError::MessageToEditNotFound
            ))
        ));

        // Unknown files are refused as Telegram refuses them.
        assert!(bot.get_file(FileId("nope".into())).await.is_err());
    }
}
