//! A small SMTP server for tests: it accepts every message lettre sends it
//! over a real TCP connection and keeps them, so that tests can read what
//! pmcoach e-mailed and count how often.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One received message: its envelope recipients and its raw data.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// The message body with quoted-printable soft line breaks undone, as a
    /// reader's mail program would show it.
    pub fn text(&self) -> String {
        self.data.replace("=\r\n", "").replace("=3D", "=")
    }
}

#[derive(Debug, Clone)]
pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp sink");
        let port = listener.local_addr().expect("addr").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(session(socket, store.clone()));
            }
        });
        SmtpSink { port, received }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().expect("sink lock").clone()
    }
}

async fn session(socket: tokio::net::TcpStream, received: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    let reply = |text: &str| format!("{text}\r\n");
    let _ = write.write_all(reply("220 sink ready").as_bytes()).await;
    let mut to = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let answer = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            "250-sink\r\n250 8BITMIME".to_owned()
        } else if upper.starts_with("MAIL FROM") {
            to.clear();
            "250 ok".to_owned()
        } else if upper.starts_with("RCPT TO") {
            to.push(line[8..].trim().trim_start_matches(':').trim().trim_matches(['<', '>']).to_owned());
            "250 ok".to_owned()
        } else if upper.starts_with("DATA") {
            let _ = write.write_all(reply("354 go ahead").as_bytes()).await;
            let mut data = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if line == "." {
                    break;
                }
                data.push_str(&line);
                data.push_str("\r\n");
            }
            received.lock().expect("sink lock").push(Received { to: to.clone(), data });
            "250 queued".to_owned()
        } else if upper.starts_with("QUIT") {
            let _ = write.write_all(reply("221 bye").as_bytes()).await;
            return;
        } else {
            "250 ok".to_owned()
        };
        if write.write_all(reply(&answer).as_bytes()).await.is_err() {
            return;
        }
    }
}
