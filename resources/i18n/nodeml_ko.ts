<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <source>Loading PyTorch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening {name}…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Catalog</name>
    <message>
        <source>10 classes of drawn shapes (disk, ring, square, ...), 28 or 32 px, 1 or 3 channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1x1 reduce, 3x3, 1x1 expand convolutions with batch norm and a skip connection (ResNet-50 bottleneck).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A model input: one sample&apos;s shape (without the batch dim) and its dtype.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A model output: forward returns it (several Output nodes return a tuple).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A placeholder that passes its input on unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A simple lookup table that stores embeddings of a fixed dictionary and size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allows the model to jointly attend to information from different representation subspaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies Batch Normalization over a 2D or 3D input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies Batch Normalization over a 4D input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies Group Normalization over a mini-batch of inputs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies Instance Normalization.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies Layer Normalization over a mini-batch of inputs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies a 1D adaptive average pooling over an input signal composed of several input planes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies a 1D average pooling over an input signal composed of several input planes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies a 1D convolution over an input signal composed of several input planes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies a 1D max pooling over an input signal composed of several input planes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies a 2D adaptive average pooling over an input signal composed of several input planes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies a 2D adaptive max pooling over an input signal composed of several input planes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies a 2D average pooling over an input signal composed of several input planes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies a 2D convolution over an input signal composed of several input planes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies a 2D max pooling over an input signal composed of several input planes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies a 2D transposed convolution operator over an input image composed of several input planes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies a 3D convolution over an input signal composed of several input planes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies a bilinear transformation to the incoming data: y = x_1^T A x_2 + b.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies an affine linear transformation to the incoming data: y = xA^T + b.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the Exponential Linear Unit (ELU) function, element-wise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the Gaussian Error Linear Units function.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the Hardsigmoid function element-wise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the Hardswish function, element-wise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the Hyperbolic Tangent (Tanh) function element-wise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the LeakyReLU function element-wise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the Mish function, element-wise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the ReLU6 function element-wise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the Sigmoid Linear Unit (SiLU) function, element-wise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the Sigmoid function element-wise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the Softmax function to an n-dimensional input Tensor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the element-wise PReLU function.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the log(Softmax(x)) function to an n-dimensional input Tensor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the rectified linear unit function element-wise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Concatenates its inputs along a dim (1 = channels / features).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ConvNeXt-Tiny from torchvision (28.6M params), ImageNet weights optional; features only gives the pooled 768-wide feature vector.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DEFAULT: torchvision&apos;s best ImageNet weights, downloaded once into the torch cache; none: random initialisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>During training, randomly zeroes some of the elements of the input tensor with probability p.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EfficientNet-B0 from torchvision (5.3M params), ImageNet weights optional; features only gives the pooled 1280-wide feature vector.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Element-wise product of its inputs (gating).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Element-wise sum of its inputs (a residual connection).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flattens a contiguous range of dims into a tensor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GRU recurrent layer over a (N, time, features) sequence; outputs the sequence and the final hidden state(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input / Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inserts a dim of size 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LSTM recurrent layer over a (N, time, features) sequence; outputs the sequence and the final hidden state(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linear &amp; Embedding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MobileNetV2 from torchvision (3.5M params), ImageNet weights optional; features only gives the pooled 1280-wide feature vector.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MobileNetV3-Small from torchvision (2.5M params), ImageNet weights optional; features only gives the pooled 576-wide feature vector.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normalization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pads the input tensor boundaries with zero.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parallel 1x1, 3x3, 5x5 and pooled branches concatenated along the channels (GoogLeNet inception module).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Picks one index along a dim, dropping it (e.g. the last time step: dim 1, index -1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pooling &amp; Resize</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pre-norm transformer encoder layer: LayerNorm, self-attention and a skip, then LayerNorm, an MLP and a skip.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pretrained backbones</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RNN recurrent layer over a (N, time, features) sequence; outputs the sequence and the final hidden state(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Randomly zero out entire channels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recurrent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removes a dim of size 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reorders the dims (include 0, the batch dim, e.g. [0, 2, 1]).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ResNet-18 from torchvision (11.7M params), ImageNet weights optional; features only gives the pooled 512-wide feature vector.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ResNet-34 from torchvision (21.8M params), ImageNet weights optional; features only gives the pooled 512-wide feature vector.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ResNet-50 from torchvision (25.6M params), ImageNet weights optional; features only gives the pooled 2048-wide feature vector.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reshapes each sample to a new shape (batch dim kept); -1 infers one dim.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Swaps two dims.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TransformerEncoderLayer is made up of self-attn and feedforward network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two 3x3 convolutions with batch norm and a skip connection (ResNet basic block).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unflattens a tensor dim expanding it to a desired shape.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upsamples a given multi-channel 1D (temporal), 2D (spatial) or 3D (volumetric) data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VGG-11 with batch norm from torchvision (132.9M params), ImageNet weights optional; features only gives the pooled 25088-wide feature vector.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a tensor dim counted with the batch dim (0 is the batch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>always true: nodeml tensors put the batch first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attention heads (dim must divide by it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>channels in and out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>channels in and out: width x expansion (4 in ResNet-50)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>channels of the 1x1 branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>channels of the 3x3 branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>channels of the 3x3 convolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>channels of the 5x5 branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>channels of the pooled branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drop the ImageNet classifier (classifier) so a head of your classes follows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drop the ImageNet classifier (classifier[2]) so a head of your classes follows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drop the ImageNet classifier (fc) so a head of your classes follows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>features inside the MLP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>features per token, in and out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inferred from the input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inferred: the last dim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interleaved 2-D spiral arms, one class per arm (classes=2..10)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>long for token ids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shape without batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token-id sequences (long) whose class is the marker token they repeat: for Embedding -&gt; LSTM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>two interleaved 2-D half circles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>y = 1.5 x1 - 2 x2 + 0.5 x3 + 1 + noise: three features, one target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>y = 2x + 1 + noise, x in [-2, 2]: a Linear(1, 1) recovers w=2, b=1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System Default ({language})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes effect when nodeml restarts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{language} from the next start of nodeml</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
