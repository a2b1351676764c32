-- grain: one row per stop word (word).
-- reads: nothing (a seed relation written inline).
-- Portuguese and English stop words removed by top_words, lowercase, with and without
-- accents (chats often skip them). Words shorter than 3 characters are not listed:
-- top_words drops every word that short anyway.
with

stop_words as (
    select word
    from (
        values
        ('about'), ('above'), ('after'), ('again'), ('against'), ('agora'), ('ainda'),
        ('algo'), ('alguem'), ('alguém'), ('ali'), ('all'), ('also'), ('and'), ('antes'),
        ('any'), ('aos'), ('apenas'), ('aquela'), ('aquelas'), ('aquele'), ('aqueles'),
        ('aqui'), ('aquilo'), ('are'), ('aren'), ('assim'), ('ate'), ('até'), ('because'),
        ('been'), ('before'), ('being'), ('below'), ('bem'), ('between'), ('both'), ('but'),
        ('cada'), ('can'), ('cannot'), ('com'), ('comigo'), ('como'), ('conosco'), ('contigo'),
        ('could'), ('couldn'), ('daquela'), ('daquele'), ('das'), ('dela'), ('delas'),
        ('dele'), ('deles'), ('depois'), ('dessa'), ('desse'), ('desta'), ('deste'), ('did'),
        ('didn'), ('disso'), ('does'), ('doesn'), ('doing'), ('don'), ('dos'), ('down'),
        ('during'), ('each'), ('ela'), ('elas'), ('ele'), ('eles'), ('entao'), ('entre'),
        ('então'), ('era'), ('eram'), ('essa'), ('essas'), ('esse'), ('esses'), ('esta'),
        ('estamos'), ('estao'), ('estar'), ('estas'), ('estava'), ('estavam'), ('este'),
        ('estes'), ('esteve'), ('estive'), ('estou'), ('está'), ('estão'), ('faz'), ('fazer'),
        ('few'), ('fez'), ('foi'), ('for'), ('foram'), ('from'), ('fui'), ('further'), ('get'),
        ('got'), ('had'), ('hadn'), ('has'), ('hasn'), ('have'), ('haven'), ('having'),
        ('her'), ('here'), ('hers'), ('herself'), ('him'), ('himself'), ('his'), ('how'),
        ('into'), ('isn'), ('isso'), ('isto'), ('its'), ('itself'), ('ive'), ('just'), ('let'),
        ('lhe'), ('lhes'), ('like'), ('mais'), ('mas'), ('may'), ('mesma'), ('mesmo'),
        ('mesmos'), ('meu'), ('meus'), ('mim'), ('minha'), ('minhas'), ('more'), ('most'),
        ('muita'), ('muitas'), ('muito'), ('muitos'), ('myself'), ('nada'), ('nao'),
        ('naquela'), ('naquele'), ('nas'), ('nessa'), ('nesse'), ('nesta'), ('neste'),
        ('nisso'), ('nisto'), ('nos'), ('not'), ('now'), ('num'), ('numa'), ('não'), ('nós'),
        ('off'), ('okay'), ('once'), ('onde'), ('one'), ('only'), ('other'), ('our'), ('ours'),
        ('ourselves'), ('out'), ('outra'), ('outras'), ('outro'), ('outros'), ('over'),
        ('own'), ('para'), ('pela'), ('pelas'), ('pelo'), ('pelos'), ('pode'), ('podem'),
        ('por'), ('porque'), ('porquê'), ('posso'), ('pra'), ('pras'), ('pro'), ('pros'),
        ('quais'), ('qual'), ('qualquer'), ('quando'), ('quanta'), ('quanto'), ('quantos'),
        ('que'), ('quem'), ('same'), ('sao'), ('say'), ('see'), ('seja'), ('sejam'), ('sem'),
        ('sendo'), ('ser'), ('sera'), ('seria'), ('será'), ('serão'), ('seu'), ('seus'),
        ('she'), ('should'), ('shouldn'), ('sido'), ('sim'), ('sobre'), ('some'), ('sua'),
        ('suas'), ('such'), ('são'), ('tambem'), ('também'), ('tao'), ('tbm'), ('tem'),
        ('temos'), ('tenho'), ('ter'), ('teu'), ('teus'), ('teve'), ('than'), ('that'),
        ('the'), ('their'), ('theirs'), ('them'), ('themselves'), ('then'), ('there'),
        ('these'), ('they'), ('this'), ('those'), ('through'), ('tinha'), ('tipo'), ('tive'),
        ('toda'), ('todas'), ('todo'), ('todos'), ('too'), ('tua'), ('tuas'), ('tudo'),
        ('two'), ('tão'), ('têm'), ('uma'), ('umas'), ('under'), ('uns'), ('until'), ('use'),
        ('vai'), ('vamos'), ('vcs'), ('very'), ('voce'), ('voces'), ('você'), ('vocês'),
        ('vou'), ('vão'), ('was'), ('wasn'), ('were'), ('weren'), ('what'), ('when'),
        ('where'), ('which'), ('while'), ('who'), ('whom'), ('why'), ('will'), ('with'),
        ('won'), ('would'), ('wouldn'), ('yeah'), ('yes'), ('you'), ('your'), ('yours'),
        ('yourself'), ('yourselves')
    ) as stop_words (word)
)

select cast(word as varchar) as word
from stop_words
