var hook = "https:\/\/hooks.slack.com\/services\/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";
k="\u0073k_live_51Hq8ZkT2vRbX9mPq3LwYc7N"; g='\x41IzaSyC7q3Lk9TzR2vXw8mNbP4yQh6JdFs1gUo'; e=`\u{1F600} \uD83D\uDE00 \uD800`;
eval("var k = \"\\u0073k_live_51Hq8ZkT2vRbX9mPq3LwYc7N\";\n"); r=/\d+\//; s='say \"hi\"\
continued';
