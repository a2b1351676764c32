"""What people in the sample say: message, caption, channel and edit texts.

Templates may hold ``**bold**``, `` `code` `` and ``{@}`` (a mention), rendered into text and
MessageEntity lists by `samples.entities`. Reads and writes nothing.
"""

from __future__ import annotations

PT_TEXTS = (
    "Bom dia, pessoal! ☀️",
    "Boa noite! Alguém por aí? 🌙",
    "Alguém já rodou `spark-submit` com Java 17 no Mac?",
    "Valeu {@}! Funcionou aqui 🙏",
    "Kkkkkk não acredito 😂",
    "Hoje o trânsito tá impossível 🚗🚗🚗",
    "Vou passar aí mais tarde, beleza?",
    "Concordo 100% 💯",
    "Alguém indica um curso bom de SQL? #dicas",
    "Olha essa vaga: https://vagas.exemplo.com.br/dados/123 #vagas",
    "Que golaço ontem! ⚽🔥",
    "Saiu a nova versão do DuckDB 🦆 https://duckdb.org",
    "Preciso de ajuda com um join que tá duplicando linhas 😩",
    "**Atenção**: reunião amanhã às 19h",
    "Tô no ônibus, chego em 10 min",
    "Parabéns {@}!!! 🎉🎂",
    "Alguém vai no meetup sábado? 🍕",
    "Esse café da padaria é o melhor da cidade ☕",
    "Pessoal, cuidado com golpe no Pix ⚠️",
    "Feliz aniversário! Muita saúde e sucesso 🥳",
    "O Glue cobra por DPU-hora, então job pequeno sai caro 💸",
    "Particionar por dia resolveu o custo do Athena 👌",
    "Quem topa uma trilha no domingo? 🥾⛰️",
    "Choveu demais aqui em SP hoje 🌧️",
    "Obrigado pela ajuda, galera!",
    "Alguém tem o link da gravação?",
    "Tô testando o bot novo, mandem /stats",
    "Fim de semana chegou! 🍻",
    "Sextou!!! 🎉",
    "Nossa, que saudade de vocês ❤️",
    "O `pd.read_parquet` lê partição hive direto?",
    "Bora marcar um churrasco? 🍖",
    "Acabei de chegar em casa, exausto 😴",
    "Quem ganhou o jogo?",
    "Ahahaha muito bom",
    "Não entendi nada 🤔",
    "Show de bola! 👏👏",
    "Promoção de livro técnico hoje #promo",
    "Já atualizei a planilha, confere lá {@}",
    "Boa sorte na entrevista amanhã! 🍀",
    "Deploy feito, tudo verde ✅",
    "Quebrou a produção de novo 🔥🔥🔥 kkk",
    "Alguém usa Firehose pra ingestão? Vale a pena?",
    "Eu prefiro Trino, mas DuckDB local é imbatível",
    "Vou dormir, boa noite a todos 😴",
    "Mano, que calor 🥵",
    "E aí, como foi a viagem?",
    "Foto do pôr do sol de ontem abaixo 👇",
    "Gente, o #python 3.11 é bem mais rápido mesmo",
    "Alguém me ajuda com regex? Tô perdido",
    "Amanhã tem feriado? 🤔",
    "Fechado! Até mais 👋",
    "Que notícia boa! 😍",
    "Tô dentro!",
    "Segue o artigo: https://blog.exemplo.dev/lakehouse-barato",
)
EN_TEXTS = (
    "Good morning everyone! ☀️",
    "Anyone tried the new Glue 5.1 runtime yet?",
    "Thanks {@}, that fixed it 🙏",
    "lol 😂",
    "Agreed 💯",
    "Check this out: https://spark.apache.org/docs/latest/ #spark",
    "Running late, be there in 10",
    "**Reminder**: meetup on Saturday at 7pm",
    "Happy birthday {@}! 🎉🎂",
    "Has anyone benchmarked DuckDB vs Spark on small files?",
    "Coffee first ☕ then code",
    "That game last night was insane ⚽🔥",
    "I'd use `COPY ... PARTITION_BY` for that",
    "Weekend plans? 🍻",
    "Deployed to prod, fingers crossed 🤞",
    "Can someone share the slides?",
    "Great talk today 👏",
    "Not sure I follow 🤔",
    "See you all tomorrow!",
    "Nice! 👌",
    "Good night folks 😴",
    "Who's up for a hike on Sunday? 🥾",
    "It's pouring here 🌧️",
    "Just landed in Lisbon ✈️",
    "Our Athena bill dropped 80% after partitioning by day",
    "Is Firehose worth it for a million events a day?",
    "Welcome {@}! 👋",
    "Quick question about window functions in Trino",
    "Use /stats to see the weekly numbers",
    "Miss you guys ❤️",
    "Pizza tonight? 🍕",
    "Congrats on the new job! 🥳",
    "Build is green ✅",
    "Prod is on fire again 🔥 lol",
    "Anyone know a good SQL course? #tips",
)
PT_CAPTIONS = (
    "Olha que lindo 😍",
    "Nosso time hoje",
    "Print do erro 👇",
    "Pôr do sol em Floripa 🌅",
    "Slides da palestra",
    "Churrasco de domingo 🍖",
    "Vejam isso kkk",
)
EN_CAPTIONS = ("Look at this view 😍", "Error screenshot 👇", "Team dinner 🍝", "Slides from today")
EDIT_SUFFIXES = (" (editado)", " ✏️", "\nEDIT: resolvido ✅", "\nUPDATE: fixed ✅", " *")
BOT_COMMANDS = ("/stats", "/top", "/help")
CHANNEL_TEXTS = (
    "📊 Resumo da semana: 3 artigos novos sobre #dados e #aws",
    "Novo post: como deduplicar eventos do Telegram com Spark https://blog.exemplo.dev/dedup",
    "🎙️ Live hoje às 19h sobre Athena + QuickSight",
    "Dica rápida: use partition projection no Athena e esqueça o MSCK REPAIR #dica",
    "🔥 Vagas da semana no canal de vagas #vagas",
    "New post (EN): Glue 5.1 first impressions https://blog.exemplo.dev/glue-51",
)
CHANNEL_VIDEO_CAPTIONS = (
    "🎬 Em 1 minuto: o que é partition projection",
    "🎬 Spark em 60 segundos: shuffle explicado",
    "🎬 DuckDB lendo Parquet direto do S3",
)
CHANNEL_ALBUM_CAPTIONS = ("📸 Fotos do meetup de ontem!", "📸 Bastidores da gravação")
PAID_MEDIA_CAPTIONS = (
    "🔒 Bônus para apoiadores: slides completos do workshop",
    "🔒 Aula extra: tuning de Glue jobs",
)
COMMENT_TEXTS = (
    "Muito bom! 👏",
    "Salvei aqui, valeu!",
    "Tem o link dos slides?",
    "Faz um sobre Iceberg por favor 🙏",
    "Excelente explicação",
    "Great post, thanks!",
    "Isso me salvou hoje kkk",
    "Discordo um pouco: pra arquivos pequenos o DuckDB ganha fácil",
    "Que horas vai ser a live?",
    "Primeiro! 🥇",
    "Alguém testou isso com Glue 5.1?",
    "Where can I find the code?",
)
CHANNEL_REPLIES = (
    "Obrigado! Os slides estão no link da bio 😉",
    "Boa ideia, vai entrar na lista!",
    "A live fica gravada no canal 🎙️",
)
DM_TEXTS = (
    "Oi! Vocês aceitam post patrocinado?",
    "Adorei o último vídeo, parabéns pelo canal!",
    "Tem vaga para palestrar no próximo meetup?",
    "Hi! Do you take guest posts in English?",
)
SUGGESTED_POSTS = (
    "🚀 Curso de Engenharia de Dados com 20% de desconto para o canal: https://curso.exemplo.com.br",
    "📘 Lançamento: e-book gratuito sobre Athena https://ebook.exemplo.dev",
    "🎟️ Meetup Data BR em Curitiba, inscrições abertas: https://meetup.exemplo.org",
    "💼 Estamos contratando engenheiros de dados (remoto) https://vagas.exemplo.com.br",
)
DECLINE_COMMENTS = (
    "Obrigado! Mas o tema não combina com o canal.",
    "Neste mês a agenda está cheia, tente em dezembro.",
)
GIFT_TEXTS = ("Parabéns pelo canal! 🎉", "Obrigado pelos posts 🙏", "")
CHECKLISTS = (
    ("Trilha do Pico do Jaraguá 🥾",
     ("Água (2 L por pessoa)", "Protetor solar", "Lanche", "Capa de chuva", "Lanterna")),
    ("Churrasco de sábado 🍖", ("Carne", "Carvão", "Gelo", "Cerveja", "Farofa", "Pão de alho")),
    ("Meetup: to-do",
     ("Reservar sala", "Confirmar palestrantes", "Pedir pizza", "Testar projetor")),
    ("Release checklist ✅", ("Bump version", "Update changelog", "Tag release", "Announce it")),
)  # fmt: skip
JOIN_REQUEST_BIOS = (
    "Engenheira de dados em SP 📊",
    "Data nerd | Python | ☕",
    "Estudante de computação na USP",
    "Analytics engineer @ fintech",
)
