//! The projector page `/s/CODE`: the class leaderboard in large type, live over server-sent
//! events, and how the class used each tactic. The first render is on the server (escaped);
//! the script redraws from the JSON with `textContent`, never as HTML. A content security
//! policy allows only this server's own script, so even a name that slipped through could not run.

use crate::server::api::Fail;
use crate::server::protocol::{Board, outcome_label};
use crate::server::{State, api};
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

const SCRIPT: &str = include_str!("projector.js");
const STYLE: &str = include_str!("projector.css");
const FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Subset.otf");
const CSP: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'";

/// Escapes text for HTML element content and quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> Response {
    (
        [
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        Html(format!(
            "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{}</title><link rel=\"stylesheet\" href=\"/assets/projector.css\"></head>\
             <body>{body}</body></html>\n",
            escape(title)
        )),
    )
        .into_response()
}

pub async fn index() -> Response {
    page(
        "dunning-dojo",
        "<main class=\"index\"><h1>dunning-dojo 催收道场</h1>\
         <p>课堂服务器运行中。投影页面：<code>/s/加入代码</code></p>\
         <p>The class server is running. Projector page: <code>/s/JOIN-CODE</code></p></main>",
    )
}

/// The table rows of the leaderboard, escaped.
pub fn rows_html(b: &Board) -> String {
    let mut s = String::new();
    for r in &b.rows {
        let o = outcome_label(&r.outcome);
        s.push_str(&format!(
            "<tr><td class=\"rank\">{}</td><td class=\"name\">{}</td><td class=\"score\">{:.1}</td>\
             <td class=\"grade\">{}</td><td class=\"outcome\">{} <small>{}</small></td><td class=\"n\">{}</td></tr>",
            r.rank,
            escape(&r.trainee),
            r.score,
            escape(&r.grade),
            escape(&o.zh),
            escape(&o.en),
            r.attempts
        ));
    }
    if b.rows.is_empty() {
        s.push_str("<tr><td colspan=\"6\" class=\"empty\">等待第一份成绩…… Waiting for the first result…</td></tr>");
    }
    s
}

/// The per-tactic summary rows, escaped.
pub fn tactics_html(b: &Board) -> String {
    let mean = |m: Option<f64>| m.map_or("–".to_owned(), |v| format!("{v:.1}"));
    let mut s = String::new();
    for t in &b.tactics {
        s.push_str(&format!(
            "<tr><td>{} <small>{}</small></td><td class=\"n\">{}/{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&t.name.zh),
            escape(&t.name.en),
            t.attempts,
            b.attempts,
            t.uses,
            mean(t.mean_with),
            mean(t.mean_without)
        ));
    }
    s
}

pub async fn projector(
    axum::extract::State(state): axum::extract::State<State>,
    Path(code): Path<String>,
) -> Response {
    let board = match api::board_for(&state, &code).await {
        Ok(b) => b,
        Err(Fail(status, msg)) => {
            let body = format!(
                "<main class=\"index\"><h1>{}</h1><p>{}</p></main>",
                if status == StatusCode::NOT_FOUND {
                    "没有这个课堂 · No such class"
                } else {
                    "出错了 · Something went wrong"
                },
                escape(&msg)
            );
            let mut r = page("dunning-dojo", &body);
            *r.status_mut() = status;
            return r;
        }
    };
    let body = format!(
        "<header><div><h1>{title_zh}</h1><p class=\"sub\">{title_en}</p></div>\
         <div class=\"join\">加入代码 Join code<b id=\"code\" data-code=\"{code}\">{code}</b>\
         <span id=\"status\" class=\"{state}\">{status}</span></div></header>\
         <main><section class=\"board\"><table><thead><tr><th>#</th><th>学员 Trainee</th>\
         <th>得分 Score</th><th>等级 Grade</th><th>结果 Outcome</th><th>次数 Tries</th></tr></thead>\
         <tbody id=\"rows\">{rows}</tbody></table></section>\
         <section class=\"tactics\"><h2>全班策略 How the class negotiated</h2>\
         <p class=\"sub\"><span id=\"attempts\">{attempts}</span> 次尝试 attempts</p>\
         <table><thead><tr><th>策略 Tactic</th><th>用过 Used</th><th>次数 Times</th>\
         <th>用者均分 Mean with</th><th>未用均分 Without</th></tr></thead>\
         <tbody id=\"tactics\">{tactics}</tbody></table></section></main>\
         <script src=\"/assets/projector.js\"></script>",
        title_zh = escape(&board.title.zh),
        title_en = escape(&board.title.en),
        code = escape(&board.code),
        state = if board.open { "open" } else { "closed" },
        status = if board.open {
            "开放中 open"
        } else {
            "已截止 closed"
        },
        rows = rows_html(&board),
        attempts = board.attempts,
        tactics = tactics_html(&board),
    );
    page(&format!("{} · {}", board.title.zh, board.code), &body)
}

fn asset(content_type: &'static str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

pub async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE)
}

pub async fn font() -> Response {
    asset("font/otf", FONT)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
